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

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
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

        long before = allocated();
        for (int i = 0; i < 20; i++) {
            eventfulDay(sim);
        }
        long bytes = allocated() - before;

        assertEquals(0, bytes, "bytes allocated across 20 eventful days (seed " + SEED + ")");
        assertTrue(sim.counter(DhcpClient.C_RENEWALS) - renewalsBefore >= 20 * 12, "renewals happened");
        assertEquals(20, sim.counter(DhcpClient.C_REBINDS) - rebindsBefore, "rebinds happened");
        assertEquals(20, sim.counter(DhcpClient.C_EXPIRIES) - expiriesBefore, "expiries happened");
        assertTrue(sim.prober.starts - probesBefore >= 40, "INIT-REBOOT and new leases were probed");
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
        for (int round = 0; round < 2; round++) {
            long before = allocated();
            for (int n = 0; n < 20_000; n++) {
                int k = n % bad.length;
                sim.client.onDatagram(SERVER, 67, bad[k], 0, bad[k].length, 0);
                sim.client.onDatagram(SERVER, 67, dirty[k], DIRTY_OFFSET, bad[k].length, 0);
                sim.client.poll(0);
            }
            long bytes = allocated() - before;
            if (round == 1) {
                assertEquals(0, bytes, "bytes allocated by 40,000 malformed replies");
            }
        }
        assertEquals(DhcpState.SELECTING, sim.client.state());
        assertEquals(0, sim.counter(DhcpClient.C_OFFERS));
    }
}
