package io.ethling.stack.dhcp;

import io.ethling.stack.dhcp.DhcpTestKit.Reply;
import io.ethling.stack.dhcp.DhcpTestKit.Sim;
import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.ethling.stack.dhcp.DhcpTestKit.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded mutation run (RELIABILITY.md G2 in miniature, every build): valid replies with random
 * byte flips, truncations, forged option lengths and inserted options, delivered in every state
 * that expects a reply. Each input runs clean and dirty on two clients with the same seed: no
 * exception, identical outcome, and the lease invariants hold.
 */
class DhcpMutationFuzzTest {

    private static final long SEED = 0xF022_D4C9L;
    private static final int PER_STATE = 600;

    private static Sim inState(int which, long seed) {
        Sim sim = new Sim(seed);
        sim.start();
        switch (which) {
            case 0 -> {                                          // SELECTING
                sim.server.online = false;
                sim.runUntil(0);
            }
            case 1 -> {                                          // REQUESTING
                sim.server.online = false;
                sim.runUntil(0);
                sim.deliver(Reply.standard(2, sim.client.xid(), YIADDR, SERVER, 3600).end().build(), false);
            }
            case 2, 3 -> {                                       // RENEWING, REBINDING
                sim.runFor(10 * S);
                sim.server.online = false;
                sim.runUntil(which == 2 ? sim.client.renewAtNs() : sim.client.rebindAtNs());
            }
            default -> {                                         // REBOOTING
                sim.runFor(10 * S);
                sim.server.online = false;
                sim.client.linkDown();
                sim.client.linkUp(sim.now());
                sim.runFor(S);
            }
        }
        return sim;
    }

    private static final DhcpState[] EXPECTED = {DhcpState.SELECTING, DhcpState.REQUESTING, DhcpState.RENEWING,
        DhcpState.REBINDING, DhcpState.REBOOTING};

    private static byte[] mutate(byte[] valid, Prng r) {
        byte[] m = valid.clone();
        int kind = r.nextInt(5);
        switch (kind) {
            case 0 -> {
                int flips = r.nextInt(1, 8);
                for (int i = 0; i < flips; i++) {
                    int at = r.nextInt(100) < 70 ? r.nextInt(240, m.length - 1) : r.nextInt(m.length);
                    m[at] = (byte) r.nextInt(256);
                }
            }
            case 1 -> m = Arrays.copyOf(m, r.nextInt(m.length + 1));
            case 2 -> {
                int at = 240 + r.nextInt(m.length - 240);
                m[at] = (byte) r.nextInt(256);                   // a forged code or length byte
                if (at + 1 < m.length) {
                    m[at + 1] = (byte) (r.nextInt(2) == 0 ? 255 : r.nextInt(256));
                }
            }
            case 3 -> {
                int extra = r.nextInt(1, 40);
                byte[] longer = Arrays.copyOf(m, m.length + extra);
                int at = 240 + r.nextInt(m.length - 240);
                System.arraycopy(m, at, longer, at + extra, m.length - at);
                for (int i = 0; i < extra; i++) {
                    longer[at + i] = (byte) r.nextInt(256);
                }
                m = longer;
            }
            default -> {
                m[240 + r.nextInt(m.length - 240)] = 52;          // overload with a random value after it
                for (int i = 44; i < 236; i += r.nextInt(1, 30)) {
                    m[i] = (byte) r.nextInt(256);
                }
            }
        }
        return m;
    }

    @Test
    void mutatedRepliesNeverThrowAndDirtyRunsMatch() {
        Prng r = new Prng(SEED);
        int accepted = 0;
        for (int which = 0; which < EXPECTED.length; which++) {
            for (int n = 0; n < PER_STATE; n++) {
                long simSeed = SEED + n;
                Sim clean = inState(which, simSeed);
                Sim dirty = inState(which, simSeed);
                assertEquals(EXPECTED[which], clean.client.state(), "setup, seed " + simSeed);
                int xid = clean.client.xid();
                int yi = which == 0 || which == 1 ? YIADDR : clean.client.ip();
                int type = which == 0 ? 2 : r.nextInt(4) == 0 ? 6 : 5;
                byte[] valid = Reply.standard(type, xid, yi, SERVER, 3600).opt(12, 'h', 'o', 's', 't').opt(15, 'l', 'a', 'n')
                    .opt32(58, 1000).opt32(59, 2000).end().build();
                byte[] m = mutate(valid, r);
                String where = "state " + EXPECTED[which] + " input " + n + " (fuzz seed " + SEED + ", sim seed " + simSeed
                    + "): " + java.util.HexFormat.of().formatHex(m);
                clean.deliver(m, false);
                dirty.deliver(m, true);
                clean.runFor(5 * S);
                dirty.runFor(5 * S);
                assertEquals(clean.snapshot(), dirty.snapshot(), where);
                if (clean.counter(DhcpClient.C_OFFERS) + clean.counter(DhcpClient.C_ACKS) + clean.counter(DhcpClient.C_NAKS)
                    > (which >= 1 ? 1 : 0) + (which >= 2 ? 1 : 0)) {
                    accepted++;
                }
                DhcpClient c = clean.client;
                if (c.hasLease()) {
                    assertTrue(DhcpClient.isUnicast(c.ip()), where);
                    assertTrue(c.renewAtNs() - c.leaseStartNs() > 0, where);
                    assertTrue(c.rebindAtNs() - c.renewAtNs() > 0, where);
                    assertTrue(c.leaseEndNs() - c.rebindAtNs() > 0, where);
                    assertTrue(c.leaseEndNs() - c.leaseStartNs() >= 60 * S, where);
                }
            }
        }
        // the mutations are not all fatal: some still parse and are acted upon
        assertTrue(accepted > PER_STATE / 2, "accepted " + accepted);
    }
}
