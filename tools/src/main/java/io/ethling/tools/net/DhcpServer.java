package io.ethling.tools.net;

import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.UdpListener;
import io.ethling.stack.wire.Bytes;

/**
 * The user-mode network's DHCP server (RFC 2131 §4.3, the server's half): a small pool, one
 * lease per client MAC, OFFER/ACK/NAK, RELEASE and DECLINE. Desktop tooling on the gateway, not
 * part of the board's stack. Every option walk is bounded by the datagram.
 */
final class DhcpServer implements UdpListener {

    private static final int DISCOVER = 1;
    private static final int OFFER = 2;
    private static final int REQUEST = 3;
    private static final int DECLINE = 4;
    private static final int ACK = 5;
    private static final int NAK = 6;
    private static final int RELEASE = 7;

    private final NetStack net;
    private final int serverIp;
    private final int mask;
    private final int firstIp;
    private final long[] macs;
    private final boolean[] declined;
    private final int leaseSeconds;
    private final int handle;
    private final byte[] out = new byte[548];
    int offers;
    int acks;
    int naks;

    DhcpServer(NetStack net, int serverIp, int mask, int firstIp, int poolSize, int leaseSeconds) {
        this.net = net;
        this.serverIp = serverIp;
        this.mask = mask;
        this.firstIp = firstIp;
        this.macs = new long[poolSize];
        this.declined = new boolean[poolSize];
        this.leaseSeconds = leaseSeconds;
        this.handle = net.udp().open(67, this);
        if (handle < 0) {
            throw new IllegalStateException("user-mode network: cannot open UDP port 67 (" + handle + ")");
        }
    }

    private int slotFor(long mac, boolean create) {
        for (int i = 0; i < macs.length; i++) {
            if (macs[i] == mac) {
                return i;
            }
        }
        if (!create) {
            return -1;
        }
        for (int i = 0; i < macs.length; i++) {
            if (macs[i] == 0 && !declined[i]) {
                macs[i] = mac;
                return i;
            }
        }
        return -1;
    }

    @Override
    public void onDatagram(int h, int srcIp, int srcPort, int dstIp, int dstPort, byte[] b, int off, int len, long nowNs) {
        // RFC 2131 §2: op 1 (request), htype 1, hlen 6, the magic cookie, then options
        if (len < 241 || b[off] != 1 || b[off + 1] != 1 || b[off + 2] != 6
                || Bytes.i32(b, off + 236) != 0x63825363) {
            return;
        }
        int type = 0;
        int requested = 0;
        int serverId = 0;
        int i = off + 240;
        int end = off + len;
        while (i < end) {
            int code = b[i] & 0xFF;
            if (code == 255) {
                break;
            }
            if (code == 0) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return;
            }
            int l = b[i + 1] & 0xFF;
            if (i + 2 + l > end) {
                return;                                    // option runs past the datagram
            }
            if (code == 53 && l == 1) {
                type = b[i + 2] & 0xFF;
            } else if (code == 50 && l == 4) {
                requested = Bytes.i32(b, i + 2);
            } else if (code == 54 && l == 4) {
                serverId = Bytes.i32(b, i + 2);
            }
            i += 2 + l;
        }
        long mac = Bytes.mac(b, off + 28);
        int ciaddr = Bytes.i32(b, off + 12);
        switch (type) {
            case DISCOVER: {
                int slot = slotFor(mac, true);
                if (slot >= 0) {
                    reply(b, off, OFFER, firstIp + slot, nowNs);
                    offers++;
                }
                break;
            }
            case REQUEST: {
                if (serverId != 0 && serverId != serverIp) {
                    int slot = slotFor(mac, false);          // the client chose another server
                    if (slot >= 0) {
                        macs[slot] = 0;
                    }
                    return;
                }
                int slot = slotFor(mac, false);
                int want = requested != 0 ? requested : ciaddr;
                if (slot >= 0 && want == firstIp + slot) {
                    reply(b, off, ACK, want, nowNs);
                    acks++;
                } else {
                    reply(b, off, NAK, 0, nowNs);
                    naks++;
                }
                break;
            }
            case DECLINE: {
                int slot = slotFor(mac, false);
                if (slot >= 0) {
                    macs[slot] = 0;
                    declined[slot] = true;                   // someone else uses it: never offer again
                }
                break;
            }
            case RELEASE: {
                int slot = slotFor(mac, false);
                if (slot >= 0) {
                    macs[slot] = 0;
                }
                break;
            }
            default:
                break;
        }
    }

    private void reply(byte[] req, int off, int type, int yiaddr, long nowNs) {
        java.util.Arrays.fill(out, (byte) 0);
        out[0] = 2;
        out[1] = 1;
        out[2] = 6;
        System.arraycopy(req, off + 4, out, 4, 4);           // xid
        System.arraycopy(req, off + 10, out, 10, 2);         // flags
        System.arraycopy(req, off + 24, out, 24, 4);         // giaddr
        System.arraycopy(req, off + 28, out, 28, 16);        // chaddr
        Bytes.put32(out, 16, yiaddr);
        Bytes.put32(out, 236, 0x63825363);
        int o = 240;
        o = option(o, 53, 1, type);
        o = option32(o, 54, serverIp);
        if (type != NAK) {
            o = option32(o, 51, leaseSeconds);
            o = option32(o, 1, mask);
            o = option32(o, 3, serverIp);
            o = option32(o, 6, serverIp);
        }
        out[o++] = (byte) 255;
        int ciaddr = Bytes.i32(req, off + 12);
        int dst = type == ACK && ciaddr != 0 ? ciaddr : -1;  // renewals unicast, the rest broadcast (§4.1)
        net.udp().send(handle, dst, 68, out, 0, Math.max(o, 300), nowNs);
    }

    private int option(int o, int code, int len, int value) {
        out[o] = (byte) code;
        out[o + 1] = (byte) len;
        out[o + 2] = (byte) value;
        return o + 3;
    }

    private int option32(int o, int code, int value) {
        out[o] = (byte) code;
        out[o + 1] = 4;
        Bytes.put32(out, o + 2, value);
        return o + 6;
    }
}
