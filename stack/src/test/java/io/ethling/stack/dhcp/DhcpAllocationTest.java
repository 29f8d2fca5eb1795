package io.ethling.stack.dhcp;

import io.ethling.stack.dhcp.DhcpTestKit.Reply;
import io.ethling.stack.dhcp.DhcpTestKit.Sim;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.ethling.stack.dhcp.DhcpTestKit.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md "Allocation-free steady state": zero bytes allocated on this thread across warm
 * renewal cycles, a rebinding outage, a link flap with INIT-REBOOT, an expiry with a fresh
 * DISCOVER, and a stream of malformed replies. The fakes and the scripted server record into
 * preallocated arrays, so the whole measured loop must allocate nothing.
 */
class DhcpAllocationTest {

    private static final long SEED = 0xA110CL;
    private static final long HOUR = 3600 * S;
    /**
     * Measured rounds: the code allocates nothing (a run under -Xint, the pure interpreter, shows
     * 0 bytes at every step), but HotSpot's own JIT transitions (deoptimisation, OSR) now and then
     * charge a few dozen bytes to this thread. So a round is repeated, up to this many times, until
     * one is clean; code that allocates per poll fails every round.
     */
    private static final int MAX_ROUNDS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** The first calls of the MXBean may initialise lazily (and allocate): warm the measurement itself. */
    private static void warmMeter() {
        for (int i = 0; i < 1000; i++) {
            allocated();
        }
        long a = allocated();
        long b = allocated();
        assertEquals(0, b - a, "the allocation meter itself allocates");
    }

    /** One "eventful day": renewals, an outage into REBINDING, a link flap, an expiry and recovery. */
    private static void eventfulDay(Sim sim) {
        long start = sim.now();
        sim.runUntil(start + 6 * HOUR);                         // 12 renewals
        long renewed = sim.client.leaseStartNs();
        sim.runUntil(renewed + 60 * S);
        sim.server.online = false;                              // outage into REBINDING
        sim.runUntil(renewed + 55 * 60 * S);
        sim.server.online = true;
        sim.runUntil(sim.now() + HOUR);
        sim.client.linkDown();                                  // link flap: INIT-REBOOT
        sim.runUntil(sim.now() + 30 * S);
        sim.client.linkUp(sim.now());
        sim.runUntil(sim.now() + HOUR);
        long renewed2 = sim.client.leaseStartNs();
        sim.runUntil(renewed2 + 60 * S);
        sim.server.online = false;                              // outage past expiry
        sim.runUntil(renewed2 + 2 * HOUR);
        sim.server.online = true;
        sim.runUntil(start + 24 * HOUR);
    }

    @Test
    void steadyStateAllocatesNothing() {
        Sim sim = new Sim(SEED);
        sim.start();
        sim.runFor(10 * S);
        assertEquals(DhcpState.BOUND, sim.client.state(), "seed " + SEED);
        for (int i = 0; i < 30; i++) {                          // warm-up: JIT-compile every path
            eventfulDay(sim);
        }
        long renewalsBefore = sim.counter(DhcpClient.C_RENEWALS);
        long rebindsBefore = sim.counter(DhcpClient.C_REBINDS);
        long expiriesBefore = sim.counter(DhcpClient.C_EXPIRIES);
        long probesBefore = sim.prober.starts;

        warmMeter();
        long[] perRound = new long[MAX_ROUNDS];
        int rounds = 0;
        long best = Long.MAX_VALUE;
        while (rounds < MAX_ROUNDS && best != 0) {
            long before = allocated();
            for (int i = 0; i < 20; i++) {
                eventfulDay(sim);
            }
            perRound[rounds] = allocated() - before;
            best = Math.min(best, perRound[rounds]);
            rounds++;
        }

        assertEquals(0, best, "bytes allocated per round of 20 eventful days: "
            + java.util.Arrays.toString(java.util.Arrays.copyOf(perRound, rounds)) + " (seed " + SEED + ")");
        assertTrue(sim.counter(DhcpClient.C_RENEWALS) - renewalsBefore >= rounds * 20 * 12, "renewals happened");
        assertEquals(rounds * 20, sim.counter(DhcpClient.C_REBINDS) - rebindsBefore, "rebinds happened");
        assertEquals(rounds * 20, sim.counter(DhcpClient.C_EXPIRIES) - expiriesBefore, "expiries happened");
        assertTrue(sim.prober.starts - probesBefore >= rounds * 40, "INIT-REBOOT and new leases were probed");
        assertEquals(DhcpState.BOUND, sim.client.state());
    }

    @Test
    void malformedRepliesAllocateNothing() {
        Sim sim = new Sim(SEED);
        sim.server.online = false;
        sim.start();
        sim.runUntil(0);
        int xid = sim.client.xid();
        byte[][] bad = {
            Reply.standard(2, xid, YIADDR, SERVER, 3600).raw(6, 255, 1, 2, 3).build(),                 // H1
            Reply.standard(2, xid, YIADDR, SERVER, 3600).opt(52, 7).end().build(),                       // H3
            Reply.standard(2, xid + 1, YIADDR, SERVER, 3600).end().build(),                              // H5
            Reply.standard(0, xid, YIADDR, SERVER, 3600).end().build(),                                  // H6
            Reply.standard(2, xid, ip("224.0.0.1"), SERVER, 3600).end().build(),                         // H7
            Reply.standard(6, xid, 0, SERVER, 3600).end().build(),                                       // NAK while selecting
        };
        byte[][] dirty = new byte[bad.length][];
        for (int i = 0; i < bad.length; i++) {
            dirty[i] = DhcpTestKit.dirty(bad[i]);
        }
        warmMeter();
        long[] perRound = new long[MAX_ROUNDS + 1];
        long best = Long.MAX_VALUE;
        int rounds = 0;
        while (rounds <= MAX_ROUNDS && best != 0) {             // round 0 is warm-up
            long before = allocated();
            for (int n = 0; n < 20_000; n++) {
                int k = n % bad.length;
                sim.client.onDatagram(SERVER, 67, bad[k], 0, bad[k].length, 0);
                sim.client.onDatagram(SERVER, 67, dirty[k], DIRTY_OFFSET, bad[k].length, 0);
                sim.client.poll(0);
            }
            perRound[rounds] = allocated() - before;
            if (rounds > 0) {
                best = Math.min(best, perRound[rounds]);
            }
            rounds++;
        }
        assertEquals(0, best, "bytes allocated per 40,000 malformed replies: "
            + java.util.Arrays.toString(java.util.Arrays.copyOf(perRound, rounds)));
        assertEquals(DhcpState.SELECTING, sim.client.state());
        assertEquals(0, sim.counter(DhcpClient.C_OFFERS));
    }
}
