package io.ethling.tools.net;

import io.ethling.hal.Clock;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.FrameSink;
import io.ethling.hal.emulator.TapDevice;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;
import io.ethling.stack.Host;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One board on the desktop in real time, as the network commands run it: the stack ({@link Host})
 * on the real driver and the emulated ENC28J60 (or, with --direct, straight on the wire), a
 * seeded fault-injecting wire, and at its far end either the user-mode network or a TAP device.
 * The loop sleeps until the next deadline, a frame from the TAP, or an answer from the user-mode
 * network's DNS worker — no busy loop.
 */
public final class Session implements AutoCloseable {

    private final Clock clock = Clock.SYSTEM;
    public final VirtualWire wire;
    public final Enc28j60Emulator chip;
    public final Enc28j60 driver;
    public final EthernetDevice device;
    public final Host host;
    public final UserNet userNet;
    private final TapDevice tap;
    private final boolean ownsTap;
    private final byte[] tapFrame = new byte[2048];
    private final Thread loopThread = Thread.currentThread();
    private Work work;

    /** More work for the loop beside the stack, e.g. an HTTP client: polled and waited for like it. */
    public interface Work {
        int poll(long nowNs);

        long pollAtNs(long nowNs);
    }

    /** Runs {@code w} in every pass of the loop (one at a time; null removes it). */
    public void work(Work w) {
        this.work = w;
    }

    public Session(NetworkOptions.Resolved o, io.ethling.tools.WireOptions w) throws IOException {
        this(o, w, null);
    }

    /** With {@code openTap} non-null, the far end is that TAP device (already open, e.g. in a lab namespace). */
    public Session(NetworkOptions.Resolved o, io.ethling.tools.WireOptions w, TapDevice openTap) throws IOException {
        long seed = w.seed();
        // 10BASE-T pacing (as a switch port would): a TAP or the user-mode network can hand frames
        // over far faster than the chip's 10 Mb/s wire, which would overrun its receive ring.
        wire = new VirtualWire(clock, w.faults().serialisation(true), seed);
        if (o.direct) {
            FrameDevice d = new FrameDevice(o.mac, 64);
            d.connect(wire.portA());
            wire.attachA(d);
            chip = null;
            driver = null;
            device = d;
        } else {
            chip = new Enc28j60Emulator(clock, new EmulatorConfig().seed(seed));
            chip.connect(wire.portA());
            wire.attachA(chip.wireInput());
            driver = new Enc28j60(chip, chip.interruptPin(), chip.resetPin(), clock, new Enc28j60Config().macAddress(o.mac));
            if (driver.init() != EthernetDevice.OK) {
                throw new IOException("enc28j60: the emulated chip did not come up (init failed)");
            }
            device = driver;
        }
        if (openTap != null || o.tap != null) {
            tap = openTap != null ? openTap : TapDevice.open(o.tap);
            ownsTap = openTap == null;
            userNet = null;
            wire.attachB(new FrameSink() {
                @Override
                public void frame(byte[] buf, int off, int len) {
                    tap.write(buf, off, len);
                }
            });
        } else {
            tap = null;
            ownsTap = false;
            userNet = new UserNet(seed);
            userNet.connect(wire.portB());
            wire.attachB(userNet.input());
            userNet.wakeup(() -> LockSupport.unpark(loopThread));
        }
        StackConfig sc = new StackConfig().macAddress(o.mac);
        if (!o.dhcp) {
            sc.address(o.ip, o.prefixLength).gateway(o.gateway);
        }
        Host.Options ho = new Host.Options().dhcp(o.dhcp).hosts(o.hostsText).dhcpInitialDelayMaxNs(0);
        if (o.dns.length > 0) {
            ho.dnsServers(o.dns);
        }
        long stackSeed = w.seedGiven() ? seed : new SecureRandom().nextLong();
        host = new Host(sc, ho, device, new Prng(stackSeed));
        host.start(clock.nanoTime());
    }

    /** One pass of the loop, then sleep until something is due (at most {@code maxWaitNs}). */
    public void step(long maxWaitNs) {
        step(maxWaitNs, null);
    }

    /** As {@link #step(long)}, but no sleep when {@code done} already holds after the pass. */
    private void step(long maxWaitNs, BooleanSupplier done) {
        long now = clock.nanoTime();
        if (tap != null) {
            int n;
            while ((n = tap.read(tapFrame, 0, tapFrame.length)) > 0) {
                wire.portB().frame(tapFrame, 0, n);
            }
        }
        wire.deliver();
        if (chip != null) {
            chip.tick();
        }
        host.poll(now);
        if (work != null && work.poll(now) > 0) {
            host.poll(now);                                  // send what the work queued at once
        }
        if (userNet != null) {
            userNet.poll(now);
            wire.deliver();
            host.poll(now);
        }
        long next = Math.min(wire.nextDeliveryNs(), host.pollAtNs(now));
        if (work != null) {
            next = Math.min(next, work.pollAtNs(now));
        }
        if (chip != null) {
            next = Math.min(next, chip.nextEventNs());
        }
        if (userNet != null) {
            next = Math.min(next, userNet.pollAtNs(now));
        }
        long wait = Math.min(maxWaitNs, next - clock.nanoTime());
        if (wait <= 0 || (done != null && done.getAsBoolean())) {
            return;
        }
        if (tap != null && wait >= 1_000_000L) {
            tap.awaitReadable((int) (wait / 1_000_000L));    // poll(2) counts whole milliseconds
        } else {
            LockSupport.parkNanos(wait);                     // sub-millisecond: the wire's pacing, a TX completing
        }
    }

    /** Runs the loop until {@code done} or {@code timeoutNs}. @return whether done */
    public boolean runUntil(BooleanSupplier done, long timeoutNs) {
        long end = clock.nanoTime() + timeoutNs;
        while (!done.getAsBoolean()) {
            long left = end - clock.nanoTime();
            if (left <= 0) {
                return false;
            }
            step(Math.min(left, 50_000_000L), done);
        }
        return true;
    }

    public long nowNs() {
        return clock.nanoTime();
    }

    @Override
    public void close() {
        if (tap != null && ownsTap) {
            tap.close();
        }
        if (userNet != null) {
            userNet.close();
        }
    }
}
