package io.ethling.tools;

import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.UdpListener;
import io.ethling.stack.wire.Bytes;

/**
 * A scripted DHCP server and DNS server on a NetStack (the other emulated board), for
 * deterministic emulator tests: one address to lease, a few names. Allocation-free after
 * construction so it does not disturb allocation measurements. Test code.
 */
final class LabPeer implements UdpListener {

    final NetStack net;
    final int serverIp;
    final int leaseIp;
    long leaseSeconds = 3600;
    boolean dhcpUp = true;
    boolean dnsUp = true;
    int ttlSeconds = 60;
    int discovers;
    int requests;
    int acks;
    int dnsQueries;
    private final int dhcpHandle;
    private final int dnsHandle;
    private final byte[] out = new byte[600];

    /** Names answered: lab.test and host.lab.test (A), www.lab.test (CNAME lab.test). */
    static final byte[] LAB = {3, 'l', 'a', 'b', 4, 't', 'e', 's', 't', 0};

    LabPeer(NetStack net, int serverIp, int leaseIp) {
        this.net = net;
        this.serverIp = serverIp;
        this.leaseIp = leaseIp;
        this.dhcpHandle = net.udp().open(67, this);
        this.dnsHandle = net.udp().open(53, this);
    }

    @Override
    public void onDatagram(int handle, int srcIp, int srcPort, int dstIp, int dstPort, byte[] buf, int off, int len,
            long nowNs) {
        if (handle == dhcpHandle) {
            if (dhcpUp) {
                dhcp(buf, off, len, nowNs);
            }
        } else if (handle == dnsHandle && dnsUp) {
            dns(srcIp, srcPort, buf, off, len, nowNs);
        }
    }

    // ---- DHCP (RFC 2131 §4.3, the server's half, minimal) ------------------------------------

    private void dhcp(byte[] b, int off, int len, long nowNs) {
        if (len < 244 || b[off] != 1) {
            return;
        }
        int type = 0;
        int requested = 0;
        int i = off + 240;
        int end = off + len;
        while (i < end && (b[i] & 0xFF) != 255) {
            int code = b[i] & 0xFF;
            if (code == 0) {
                i++;
                continue;
            }
            int l = b[i + 1] & 0xFF;
            if (code == 53) {
                type = b[i + 2] & 0xFF;
            } else if (code == 50 && l == 4) {
                requested = Bytes.i32(b, i + 2);
            }
            i += 2 + l;
        }
        int ciaddr = Bytes.i32(b, off + 12);
        int replyType;
        if (type == 1) {
            discovers++;
            replyType = 2;                                   // OFFER
        } else if (type == 3) {
            requests++;
            int want = requested != 0 ? requested : ciaddr;
            replyType = want == leaseIp ? 5 : 6;             // ACK or NAK
        } else {
            return;
        }
        java.util.Arrays.fill(out, 0, 300, (byte) 0);
        out[0] = 2;
        out[1] = 1;
        out[2] = 6;
        System.arraycopy(b, off + 4, out, 4, 4);             // xid
        System.arraycopy(b, off + 10, out, 10, 2);           // flags
        System.arraycopy(b, off + 28, out, 28, 16);          // chaddr
        if (replyType != 6) {
            Bytes.put32(out, 16, leaseIp);
        }
        out[236] = 99;
        out[237] = (byte) 130;
        out[238] = 83;
        out[239] = 99;
        int o = 240;
        out[o++] = 53;
        out[o++] = 1;
        out[o++] = (byte) replyType;
        out[o++] = 54;
        out[o++] = 4;
        Bytes.put32(out, o, serverIp);
        o += 4;
        if (replyType != 6) {
            out[o++] = 51;
            out[o++] = 4;
            Bytes.put32(out, o, (int) leaseSeconds);
            o += 4;
            out[o++] = 1;
            out[o++] = 4;
            Bytes.put32(out, o, 0xFFFFFF00);
            o += 4;
            out[o++] = 3;
            out[o++] = 4;
            Bytes.put32(out, o, serverIp);
            o += 4;
            out[o++] = 6;
            out[o++] = 4;
            Bytes.put32(out, o, serverIp);
            o += 4;
        }
        out[o++] = (byte) 255;
        if (replyType == 5) {
            acks++;
        }
        int dst = ciaddr != 0 && replyType == 5 ? ciaddr : -1;   // renewals unicast, the rest broadcast
        net.udp().send(dhcpHandle, dst, 68, out, 0, Math.max(o, 300), nowNs);
    }

    // ---- DNS (RFC 1035, minimal authoritative answers) ---------------------------------------

    private void dns(int srcIp, int srcPort, byte[] b, int off, int len, long nowNs) {
        dnsQueries++;
        if (len < 17) {
            return;
        }
        int q = off + 12;
        int i = q;
        while (i < off + len && b[i] != 0) {
            i += (b[i] & 0xFF) + 1;
        }
        int qEnd = i + 5;                                    // terminator + type + class
        if (qEnd > off + len) {
            return;
        }
        int qLen = qEnd - q;
        System.arraycopy(b, off, out, 0, 12);
        System.arraycopy(b, q, out, 12, qLen);
        Bytes.put16(out, 2, 0x8180);                         // QR, RD, RA, no error
        Bytes.put16(out, 4, 1);
        Bytes.put16(out, 6, 0);
        Bytes.put16(out, 8, 0);
        Bytes.put16(out, 10, 0);                             // no EDNS in the answer
        int o = 12 + qLen;
        int nameLen = qLen - 4;
        if (nameIs(b, q, "lab.test") || nameIs(b, q, "host.lab.test")) {
            o = answerA(o, 0xC00C);
            Bytes.put16(out, 6, 1);
        } else if (nameIs(b, q, "www.lab.test")) {
            // CNAME www.lab.test -> lab.test, then lab.test A
            Bytes.put16(out, o, 0xC00C);
            Bytes.put16(out, o + 2, 5);
            Bytes.put16(out, o + 4, 1);
            Bytes.put32(out, o + 6, ttlSeconds);
            Bytes.put16(out, o + 10, LAB.length);
            int target = o + 12;
            System.arraycopy(LAB, 0, out, target, LAB.length);
            o = answerA(target + LAB.length, 0xC000 | target);
            Bytes.put16(out, 6, 2);
        } else {
            Bytes.put16(out, 2, 0x8183);                     // NXDOMAIN
        }
        if (nameLen > 0) {
            net.udp().send(dnsHandle, srcIp, srcPort, out, 0, o, nowNs);
        }
    }

    private int answerA(int o, int namePointer) {
        Bytes.put16(out, o, namePointer);
        Bytes.put16(out, o + 2, 1);
        Bytes.put16(out, o + 4, 1);
        Bytes.put32(out, o + 6, ttlSeconds);
        Bytes.put16(out, o + 10, 4);
        Bytes.put32(out, o + 12, serverIp);
        return o + 16;
    }

    /** Whether the wire name at {@code b[off]} is {@code dotted} (ASCII, case-insensitive). */
    private static boolean nameIs(byte[] b, int off, String dotted) {
        int i = off;
        int d = 0;
        while (b[i] != 0) {
            int l = b[i] & 0xFF;
            if (d > 0) {
                if (d >= dotted.length() || dotted.charAt(d) != '.') {
                    return false;
                }
                d++;
            }
            for (int k = 1; k <= l; k++) {
                if (d >= dotted.length() || Character.toLowerCase((char) b[i + k]) != dotted.charAt(d)) {
                    return false;
                }
                d++;
            }
            i += l + 1;
        }
        return d == dotted.length();
    }
}
