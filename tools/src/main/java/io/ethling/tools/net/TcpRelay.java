package io.ethling.tools.net;

import io.ethling.stack.tcp.Tcp;
import io.ethling.stack.tcp.TcpState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The user-mode network's TCP relay: every connection the board opens — to 10.0.2.2 or to any
 * address beyond the gateway — is terminated by Ethling's own {@link Tcp} on the gateway (one
 * {@link Tcp#listenAll} listener, {@code NetStack.gatewayMode}) and carried on by a host socket:
 * 10.0.2.2 stands for the host's loopback (127.0.0.1, same port), any other address is that
 * address on the host's network. Desktop tooling on the gateway; the board's stack is untouched.
 *
 * <p>The board's SYN waits (held in SYN-RECEIVED) while the host connects, so the board sees what
 * the host saw: the SYN-ACK once the host socket is connected, an RST when the host refuses
 * (RFC 9293 §3.10.7.1, "TCP: refused" on the board), nothing when the host's connect times out
 * (the board's own timers give up, "TCP: timeout").
 *
 * <p>Bytes go both ways with back-pressure: the host socket is read only while the bytes read
 * fit in the gateway's TCP send ring (the board's window closes it in turn), and the gateway's
 * receive ring is drained only as fast as the host socket takes bytes (so the board's window
 * closes when the host stalls). FIN both ways, half-close kept: the host's EOF becomes our FIN
 * after the last byte ({@link Tcp#shutdown}), the board's FIN a {@code shutdownOutput()} of the
 * host socket; a reset on either side resets the other.
 *
 * <p>Threads: every read, write, connect and TCP call happens on the loop thread in
 * {@link #poll}, with non-blocking channels. One helper thread only waits in a {@link Selector}
 * for host sockets that are ready and wakes the loop (LockSupport.unpark, as the DNS proxy
 * does); it then waits for the loop's next pass, which re-arms the interest set, so it never spins.
 */
final class TcpRelay implements AutoCloseable {

    private static final int BUFFER_BYTES = 16 * 1024;
    private static final int ROUNDS_PER_POLL = 16;            // bounded work per connection per pass

    private enum Phase { FREE, CONNECTING, OPEN }

    /** One relayed connection: a TCP handle on the gateway and a host socket. */
    private static final class Conn {
        Phase phase = Phase.FREE;
        int handle;
        SocketChannel channel;
        SelectionKey key;
        long connectDeadlineNs;
        final byte[] down = new byte[BUFFER_BYTES];           // host -> board: read, not yet in the TCP send ring
        final ByteBuffer downBuf = ByteBuffer.wrap(down);     // bytes in [0, position)
        final byte[] up = new byte[BUFFER_BYTES];             // board -> host: received, not yet written
        final ByteBuffer upBuf = ByteBuffer.wrap(up);         // bytes in [0, position)
        boolean hostEof;                                      // the host's read side ended
        boolean finToBoard;                                   // ... and our FIN is queued to the board
        boolean boardEof;                                     // the board's FIN arrived, every byte read
        boolean finToHost;                                    // ... and the host socket's output is shut
        int interest = -1;
    }

    private final Tcp tcp;
    private final int listener;
    private final int loopbackStandIn;
    private final int network;
    private final int mask;
    private final long connectTimeoutNs;
    private final Conn[] conns;
    private final Selector selector;
    private final Thread helper;
    private volatile boolean running = true;
    private volatile boolean ready;                           // the helper saw a host socket ready
    private volatile boolean armed;                           // the loop has re-armed the interest sets
    private volatile Runnable wakeup;

    // counters (read by tests and by the status of the gateway)
    int accepted;
    int connected;
    int refused;
    int timedOut;
    int resets;
    int finished;
    long bytesToBoard;
    long bytesToHost;

    /**
     * @param tcp              the gateway's TCP; its NetStack must be in gateway mode
     * @param loopbackStandIn  the address that means the host's 127.0.0.1 (10.0.2.2)
     * @param network          the emulated network and its prefix: other addresses in it have no host behind them
     * @param connectTimeoutNs how long a host connect may take before the board's SYN is forgotten
     */
    TcpRelay(Tcp tcp, int connections, int loopbackStandIn, int network, int prefixLength, long connectTimeoutNs) {
        if (connections < 1) {
            throw new IllegalArgumentException("relay connections " + connections + ": must be at least 1");
        }
        if (connectTimeoutNs <= 0) {
            throw new IllegalArgumentException("relay connect timeout " + connectTimeoutNs + " ns: must be positive");
        }
        this.tcp = tcp;
        this.listener = tcp.listenAll();
        if (listener < 0) {
            throw new IllegalStateException("user-mode network: the gateway's TCP has no listener left (" + listener + ")");
        }
        this.loopbackStandIn = loopbackStandIn;
        this.mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        this.network = network & mask;
        this.connectTimeoutNs = connectTimeoutNs;
        this.conns = new Conn[connections];
        for (int i = 0; i < conns.length; i++) {
            conns[i] = new Conn();
        }
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("user-mode network: cannot open a selector for the TCP relay", e);
        }
        this.helper = Thread.ofPlatform().daemon().name("ethling-tcp-relay").start(this::watch);
    }

    /** Called when a host socket is ready, from the helper thread (the loop uses it to stop sleeping). */
    void wakeup(Runnable r) {
        this.wakeup = r;
    }

    /** The helper thread: wait for a ready host socket, wake the loop, wait for its next pass. */
    private void watch() {
        try {
            while (running) {
                selector.select();
                selector.selectedKeys().clear();
                if (!running) {
                    return;
                }
                armed = false;
                ready = true;
                Runnable w = wakeup;
                if (w != null) {
                    w.run();
                }
                while (!armed && running) {
                    LockSupport.park(this);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed: the relay is gone
        }
    }

    /** Whether the loop should pass again at once (a host socket is ready). */
    boolean hasWork() {
        return ready;
    }

    /** The next connect deadline, or Long.MAX_VALUE. */
    long pollAtNs(long nowNs) {
        if (ready) {
            return nowNs;
        }
        long at = Long.MAX_VALUE;
        for (Conn c : conns) {
            if (c.phase == Phase.CONNECTING && (at == Long.MAX_VALUE || c.connectDeadlineNs - at < 0)) {
                at = c.connectDeadlineNs;
            }
        }
        return at;
    }

    /** New connections from the board, connects that finished, bytes both ways, closes. @return work done */
    int poll(long nowNs) {
        ready = false;
        int work = 0;
        int h;
        while ((h = tcp.accept(listener)) >= 0) {
            open(h, nowNs);
            work++;
        }
        boolean changed = false;
        for (Conn c : conns) {
            if (c.phase == Phase.CONNECTING) {
                work += connecting(c, nowNs);
            }
            if (c.phase == Phase.OPEN) {
                work += relay(c, nowNs);
            }
            changed |= rearm(c);
        }
        if (changed) {
            selector.wakeup();                               // new interest takes effect in the next select
        }
        armed = true;
        LockSupport.unpark(helper);
        return work;
    }

    private void open(int h, long nowNs) {
        accepted++;
        Conn c = null;
        for (Conn k : conns) {
            if (k.phase == Phase.FREE) {
                c = k;
                break;
            }
        }
        int dst = tcp.localIp(h);
        int port = tcp.localPort(h);
        if (c == null || (dst != loopbackStandIn && (dst & mask) == network)) {
            refused++;                                       // no slot, or an address of the emulated net with nobody behind it
            tcp.refuse(h, nowNs);
            return;
        }
        c.handle = h;
        c.hostEof = c.finToBoard = c.boardEof = c.finToHost = false;
        c.downBuf.clear();
        c.upBuf.clear();
        c.interest = -1;
        c.connectDeadlineNs = nowNs + connectTimeoutNs;
        try {
            InetAddress target = dst == loopbackStandIn ? InetAddress.getLoopbackAddress() : address(dst);
            SocketChannel ch = SocketChannel.open();
            c.channel = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);   // the board's TCP does the batching
            c.phase = Phase.CONNECTING;
            ch.connect(new InetSocketAddress(target, port));
            c.key = ch.register(selector, 0, c);
        } catch (IOException e) {
            refuse(c, nowNs);
        }
    }

    private static InetAddress address(int ip) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip});
    }

    private int connecting(Conn c, long nowNs) {
        if (tcp.state(c.handle) != TcpState.SYN_RECEIVED) {
            release(c);                                      // the gateway gave the SYN up (unlisten)
            return 1;
        }
        try {
            if (c.channel.finishConnect()) {
                connected++;
                c.phase = Phase.OPEN;
                tcp.acceptSyn(c.handle, nowNs);              // now the board gets its SYN-ACK
                return 1;
            }
        } catch (ConnectException e) {
            refuse(c, nowNs);                                // "Connection refused" (and unreachable: no ICMP to send)
            return 1;
        } catch (IOException e) {
            refuse(c, nowNs);
            return 1;
        }
        if (nowNs - c.connectDeadlineNs >= 0) {
            timedOut++;
            tcp.abort(c.handle, nowNs);                      // silence: the board times out as it would
            release(c);
            return 1;
        }
        return 0;
    }

    private void refuse(Conn c, long nowNs) {
        refused++;
        tcp.refuse(c.handle, nowNs);
        release(c);
    }

    /** Both directions of an open connection, each bounded per pass. */
    private int relay(Conn c, long nowNs) {
        int work = 0;
        try {
            // host -> board
            for (int round = 0; round < ROUNDS_PER_POLL; round++) {
                int pending = c.downBuf.position();
                if (pending > 0) {
                    int n = tcp.send(c.handle, c.down, 0, pending, nowNs);
                    if (n < 0) {
                        boardFailed(c, nowNs);               // reset by the board, or closed under us
                        return work + 1;
                    }
                    if (n > 0) {
                        bytesToBoard += n;
                        System.arraycopy(c.down, n, c.down, 0, pending - n);
                        c.downBuf.position(pending - n);
                        work++;
                    }
                }
                if (c.hostEof || !c.downBuf.hasRemaining()) {
                    break;                                   // back-pressure: the TCP send ring is full
                }
                int r = c.channel.read(c.downBuf);
                if (r < 0) {
                    c.hostEof = true;
                } else if (r == 0) {
                    break;
                }
                work++;
            }
            if (c.hostEof && c.downBuf.position() == 0 && !c.finToBoard) {
                c.finToBoard = true;
                tcp.shutdown(c.handle, nowNs);               // our FIN after the last byte (half-close)
                work++;
            }
            // board -> host
            for (int round = 0; round < ROUNDS_PER_POLL && !c.boardEof; round++) {
                if (c.upBuf.position() > 0) {
                    c.upBuf.flip();
                    int w = c.channel.write(c.upBuf);
                    c.upBuf.compact();
                    bytesToHost += w;
                    if (c.upBuf.position() > 0) {
                        break;                               // back-pressure: the host takes no more now
                    }
                    work++;
                }
                int r = tcp.receive(c.handle, c.up, 0, c.up.length, nowNs);
                if (r > 0) {
                    c.upBuf.position(r);
                    work++;
                } else if (r == Tcp.END_OF_STREAM) {
                    c.boardEof = true;
                } else if (r == 0) {
                    break;
                } else {
                    boardFailed(c, nowNs);
                    return work + 1;
                }
            }
            if (c.boardEof && c.upBuf.position() == 0 && !c.finToHost) {
                c.finToHost = true;
                c.channel.shutdownOutput();                  // the board's FIN, passed on
                work++;
            }
        } catch (IOException e) {
            resets++;                                        // the host reset (or broke) the connection: reset the board's
            tcp.abort(c.handle, nowNs);
            release(c);
            return work + 1;
        }
        if (c.finToBoard && c.finToHost) {
            finished++;
            tcp.close(c.handle, nowNs);                      // TCP finishes its close on its own
            release(c);
            work++;
        }
        return work;
    }

    /** The board's side failed (reset, timeout): the host socket is closed at once. */
    private void boardFailed(Conn c, long nowNs) {
        resets++;
        try {
            c.channel.setOption(StandardSocketOptions.SO_LINGER, 0);   // an RST to the host, as the board got
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        tcp.close(c.handle, nowNs);
        release(c);
    }

    /** The interest the helper waits for on this connection. @return whether it changed */
    private boolean rearm(Conn c) {
        if (c.phase == Phase.FREE || c.key == null || !c.key.isValid()) {
            return false;
        }
        int ops;
        if (c.phase == Phase.CONNECTING) {
            ops = SelectionKey.OP_CONNECT;
        } else {
            ops = 0;
            if (!c.hostEof && c.downBuf.hasRemaining()) {
                ops |= SelectionKey.OP_READ;
            }
            if (c.upBuf.position() > 0) {
                ops |= SelectionKey.OP_WRITE;
            }
        }
        if (ops == c.interest) {
            return false;
        }
        c.interest = ops;
        c.key.interestOps(ops);
        return true;
    }

    private void release(Conn c) {
        if (c.channel != null) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // gone anyway
            }
            if (c.key != null) {
                // a registered channel's socket is really closed (FIN or RST to the host) only when the
                // selector drops its key, in a selection operation: make the helper's select() run now
                selector.wakeup();
            }
        }
        c.channel = null;
        c.key = null;
        c.phase = Phase.FREE;
    }

    /** Connections being relayed (connecting or open). */
    int active() {
        int n = 0;
        for (Conn c : conns) {
            if (c.phase != Phase.FREE) {
                n++;
            }
        }
        return n;
    }

    /** Closes every host socket and stops the helper (the board's connections are left to their timers). */
    @Override
    public void close() {
        running = false;
        for (Conn c : conns) {
            if (c.phase != Phase.FREE) {
                release(c);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
        LockSupport.unpark(helper);
    }
}
