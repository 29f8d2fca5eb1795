package io.ethling.tools.journey;

import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.journey.Journey;
import io.ethling.stack.dns.DnsMessage;
import io.ethling.stack.dns.DnsName;
import io.ethling.stack.journey.JourneyTap;
import io.ethling.stack.wire.Ipv4Packet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link Journey} into the rows of a ladder diagram (board | network | server): a note
 * on the board's side, or an arrow across the network with its label and the other end. Off the
 * hot path: allocates freely. The same rows feed the text ladder ({@link JourneyText}) and the
 * SVG ({@link JourneySvg}), so both tell the same story; the output depends on the journey only.
 */
public final class JourneyLadder {

    /** Where a row is drawn. */
    public enum Lane {
        /** Something the board did or learned (a state, a cache hit, a DNS result). */
        NOTE,
        /** A frame from the board to the network. */
        SEND,
        /** A frame from the network to the board. */
        RECEIVE
    }

    /**
     * One row: time in ms from the first event, lane, label, the other end (address, with the
     * port for TCP), and whether it is trouble (a retransmission, a timeout, an unreadable frame,
     * a failure).
     */
    public record Row(long sequence, double ms, Lane lane, String label, String peer, boolean alert) {
    }

    /** The rows and totals of one journey. */
    public record Ladder(List<Row> rows, long overwritten, double totalMs, int framesOut, int framesIn,
                         long tcpBytesOut, long tcpBytesIn, int retransmissions, int unreadable) {

        /** One line of totals under the diagram. */
        public String summary() {
            return String.format(Locale.ROOT,
                    "%d frames out, %d in; TCP payload %d B out, %d B in; %d retransmissions; %d unreadable; %.3f ms",
                    framesOut, framesIn, tcpBytesOut, tcpBytesIn, retransmissions, unreadable, totalMs);
        }
    }

    private static final String[] DHCP_TYPES = {"?", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE",
        "INFORM"};

    private JourneyLadder() {
    }

    /** Reads every event of the journey in order and builds its rows. */
    public static Ladder build(Journey j) {
        List<Row> rows = new ArrayList<>();
        long first = j.firstSequence();
        long t0 = j.size() > 0 ? j.timeNs(first) : 0;
        double lastMs = 0;
        int framesOut = 0;
        int framesIn = 0;
        long bytesOut = 0;
        long bytesIn = 0;
        int retrans = 0;
        int unreadable = 0;
        for (long s = first; s < j.nextSequence(); s++) {
            int kind = j.kind(s);
            int dir = j.direction(s);
            double ms = (j.timeNs(s) - t0) / 1e6;
            lastMs = ms;
            if (dir == Journey.OUT) {
                framesOut += kind == Journey.HTTP_REQUEST || kind == Journey.HTTP_STATUS ? 0 : 1;
            } else if (dir == Journey.IN) {
                framesIn += kind == Journey.HTTP_REQUEST || kind == Journey.HTTP_STATUS ? 0 : 1;
            }
            if (kind == Journey.TCP_SEGMENT || kind == Journey.TCP_RETRANSMISSION) {
                long len = (j.c(s) >>> 16) & 0xFFFF;
                if (dir == Journey.OUT) {
                    bytesOut += len;
                } else {
                    bytesIn += len;
                }
                retrans += kind == Journey.TCP_RETRANSMISSION ? 1 : 0;
            }
            unreadable += kind == Journey.FRAME_UNREADABLE ? 1 : 0;
            if ((kind == Journey.HTTP_REQUEST || kind == Journey.HTTP_STATUS) && !rows.isEmpty()) {
                Row prev = rows.get(rows.size() - 1);
                if (prev.sequence() == s - 1 && prev.lane() == lane(dir)) {
                    // the line rides on the segment just shown: one arrow, both facts
                    rows.set(rows.size() - 1, new Row(prev.sequence(), prev.ms(), prev.lane(),
                            prev.label() + " \"" + text(j, s) + "\"", prev.peer(), prev.alert()));
                    continue;
                }
            }
            rows.add(new Row(s, ms, lane(dir), label(j, s), peer(j, s), alert(j, s)));
        }
        return new Ladder(rows, j.overwritten(), lastMs, framesOut, framesIn, bytesOut, bytesIn, retrans, unreadable);
    }

    private static Lane lane(int dir) {
        return dir == Journey.OUT ? Lane.SEND : dir == Journey.IN ? Lane.RECEIVE : Lane.NOTE;
    }

    static String text(Journey j, long s) {
        byte[] b = new byte[Journey.TEXT_LENGTH];
        int n = j.copyText(s, b, 0);
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    static String ip(long ip) {
        return Ipv4Packet.format((int) ip);
    }

    static String mac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format(Locale.ROOT, "%02x", (mac >>> shift) & 0xFF));
        }
        return sb.toString();
    }

    static String hex16(long v) {
        return String.format(Locale.ROOT, "0x%04x", v & 0xFFFF);
    }

    static String tcpFlags(int f) {
        StringBuilder sb = new StringBuilder();
        appendFlag(sb, f, Journey.FLAG_SYN, "SYN");
        appendFlag(sb, f, Journey.FLAG_FIN, "FIN");
        appendFlag(sb, f, Journey.FLAG_RST, "RST");
        appendFlag(sb, f, Journey.FLAG_PSH, "PSH");
        appendFlag(sb, f, Journey.FLAG_URG, "URG");
        appendFlag(sb, f, Journey.FLAG_ACK, "ACK");
        return sb.length() == 0 ? "(no flags)" : sb.toString();
    }

    private static void appendFlag(StringBuilder sb, int f, int bit, String name) {
        if ((f & bit) != 0) {
            if (sb.length() > 0) {
                sb.append('-');
            }
            sb.append(name);
        }
    }

    private static String peer(Journey j, long s) {
        int kind = j.kind(s);
        int p = j.peer(s);
        if (j.direction(s) == Journey.LOCAL) {
            return "";
        }
        if (kind == Journey.TCP_SEGMENT || kind == Journey.TCP_RETRANSMISSION) {
            return ip(p) + ":" + (j.d(s) & 0xFFFF);
        }
        if (kind == Journey.HTTP_REQUEST || kind == Journey.HTTP_STATUS) {
            return ip(p);
        }
        if (kind == Journey.ARP_REQUEST && (j.b(s) == 0 || j.a(s) == j.b(s))) {
            return "broadcast";                     // RFC 5227 probes and announcements ask everyone
        }
        if (p == -1) {
            return "broadcast";
        }
        return p == 0 ? "" : ip(p);
    }

    private static boolean alert(Journey j, long s) {
        switch (j.kind(s)) {
            case Journey.TCP_RETRANSMISSION:
            case Journey.TCP_TIMEOUT:
            case Journey.DNS_TIMEOUT:
            case Journey.DNS_REPLY_DROPPED:
            case Journey.FRAME_UNREADABLE:
                return true;
            case Journey.FETCH_END:
                return j.a(s) != 0;
            case Journey.DNS_RESULT:
                return dnsFailed(j, s);
            case Journey.HTTP_PHASE:
                return j.a(s) == Journey.HTTP_FAILED;
            case Journey.TCP_SEGMENT:
                return (j.c(s) & Journey.FLAG_RST) != 0;
            default:
                return false;
        }
    }

    private static boolean dnsFailed(Journey j, long s) {
        int source = (int) j.a(s);
        int error = (int) (j.c(s) & 0xFF);
        return source == DnsResolver.SOURCE_NONE || (error != DnsResolver.ERROR_NONE && source != DnsResolver.SOURCE_STALE);
    }

    private static String name(String[] names, long i) {
        return i >= 0 && i < names.length ? names[(int) i] : "#" + i;
    }

    /** The label of event {@code s}; every number shown is the one recorded. */
    static String label(Journey j, long s) {
        long a = j.a(s);
        long b = j.b(s);
        long c = j.c(s);
        long d = j.d(s);
        String text = text(j, s);
        switch (j.kind(s)) {
            case Journey.FETCH_START:
                return "fetch " + text;
            case Journey.FETCH_END:
                return (text.isEmpty() ? (a == 0 ? "done" : "failed (" + a + ")") : text) + ", " + b + " B of body";
            case Journey.DNS_QUERY_SENT:
                return "DNS " + text + ": ask " + ip(j.peer(s)) + " (try " + b + ", id " + hex16(a) + ", port " + c + ")"
                        + (d < 0 ? " - send failed (" + d + ")" : "");
            case Journey.DNS_TIMEOUT:
                return "DNS no reply from " + ip(j.peer(s)) + " to id " + hex16(a);
            case Journey.DNS_REPLY_DROPPED:
                return "DNS reply dropped: " + (text.isEmpty() ? "counter " + a : text);
            case Journey.DNS_RESULT:
                return dnsResult(j, s, text);
            case Journey.DNS_QUERY:
                return "DNS query id=" + hex16(a) + " " + (b == 1 ? "A" : b == 28 ? "AAAA" : "type " + b) + " " + text;
            case Journey.DNS_ANSWER: {
                String rcode = b == 0 ? "" : b == 3 ? " NXDOMAIN" : b == 2 ? " SERVFAIL" : b == 5 ? " REFUSED" : " rcode " + b;
                String answer = c != 0 ? " A " + ip(c) + " ttl=" + (d >>> 16) : b == 0 ? " no address" : "";
                return "DNS answer id=" + hex16(a) + " " + text + rcode + answer;
            }
            case Journey.DHCP:
                return "DHCP " + name(DHCP_TYPES, a) + (c != 0 ? " " + ip(c) : "")
                        + String.format(Locale.ROOT, " xid=0x%08x", b) + (d != 0 ? " lease " + d + " s" : "");
            case Journey.ARP_REQUEST:
                if (b == 0) {
                    return "ARP probe: who-has " + ip(a) + "? (RFC 5227)";
                }
                if (a == b) {
                    return "ARP announce " + ip(a) + " at " + mac(c);
                }
                return "ARP who-has " + ip(a) + "? tell " + ip(b);
            case Journey.ARP_REPLY:
                return "ARP " + ip(a) + " is-at " + mac(b);
            case Journey.ARP_CACHE_HIT:
                return "ARP cache: " + ip(a) + " is-at " + mac(b);
            case Journey.ICMP:
                if (a == 8 || a == 0) {
                    return "ping " + (a == 8 ? "echo request" : "echo reply") + " id=" + hex16(c >>> 16)
                            + " seq=" + (c & 0xFFFF) + " (" + d + " B)";
                }
                if (a == 3) {
                    // RFC 792 destination unreachable; code 4 carries the next-hop MTU (RFC 1191)
                    String[] codes = {"net", "host", "protocol", "port", "fragmentation needed"};
                    return "ICMP " + (b < codes.length ? codes[(int) b] : "code " + b) + " unreachable";
                }
                if (a == 11) {
                    return "ICMP time exceeded" + (b == 0 ? " in transit" : " in reassembly");
                }
                return "ICMP type " + a + " code " + b;
            case Journey.TCP_SEGMENT:
            case Journey.TCP_RETRANSMISSION:
                return tcpLabel(j.kind(s) == Journey.TCP_RETRANSMISSION, a, b, c);
            case Journey.HTTP_REQUEST:
            case Journey.HTTP_STATUS:
                return "\"" + text + "\"";
            case Journey.TCP_STATE:
                return "TCP " + name(Journey.TCP_STATE_NAMES, a) + " -> " + name(Journey.TCP_STATE_NAMES, b);
            case Journey.TCP_TIMEOUT:
                return String.format(Locale.ROOT, "TCP timeout after %.0f ms: resend seq=%d len=%d", c / 1e6, a, b);
            case Journey.HTTP_PHASE:
                return httpPhase(a, b, text);
            case Journey.UDP:
                return "UDP " + a + " -> " + b + " (" + c + " B)";
            case Journey.FRAME_OTHER:
                return a == 0x0800 ? "IPv4 protocol " + c + ", " + b + " B" : String.format(Locale.ROOT, "EtherType 0x%04x, %d B", a, b);
            case Journey.FRAME_UNREADABLE:
                return "unreadable " + name(JourneyTap.UNREADABLE_NAMES, a) + " frame (" + unreadableDetail((int) a, (int) c) + "), "
                        + b + " B";
            default:
                return "event " + j.kind(s);
        }
    }

    private static final String[] ARP_STATUS = {"ok", "truncated", "not Ethernet/IPv4", "opcode"};
    private static final String[] ICMP_STATUS = {"ok", "truncated", "checksum"};
    private static final String[] UDP_STATUS = {"ok", "truncated", "length", "port 0", "checksum"};

    /** What the flyweight's status says, in words. */
    static String unreadableDetail(int reason, int status) {
        switch (reason) {
            case JourneyTap.UNREADABLE_SHORT:
                return "shorter than an Ethernet header";
            case JourneyTap.UNREADABLE_ARP:
                return name(ARP_STATUS, status);
            case JourneyTap.UNREADABLE_IPV4:
                return name(Ipv4Packet.STATUS_NAMES, status);
            case JourneyTap.UNREADABLE_ICMP:
                return name(ICMP_STATUS, status);
            case JourneyTap.UNREADABLE_UDP:
                return name(UDP_STATUS, status);
            case JourneyTap.UNREADABLE_TCP:
                return name(io.ethling.stack.tcp.TcpSegment.STATUS_NAMES, status);
            case JourneyTap.UNREADABLE_DNS:
                return status == DnsMessage.ERR_SHORT ? "no header" : status == DnsMessage.ERR_RECORD_TRUNCATED
                        ? "question cut short" : DnsName.describe(status);
            case JourneyTap.UNREADABLE_DHCP:
                return name(JourneyTap.DHCP_STATUS_NAMES, status);
            default:
                return "status " + status;
        }
    }

    private static String tcpLabel(boolean retransmission, long seq, long ack, long c) {
        int flags = (int) (c & 0xFF);
        long len = (c >>> 16) & 0xFFFF;
        long window = c >>> 32;
        StringBuilder sb = new StringBuilder();
        if (retransmission) {
            sb.append("RETRANSMISSION ");
        }
        sb.append(tcpFlags(flags));
        boolean syn = (flags & Journey.FLAG_SYN) != 0;
        boolean ackFlag = (flags & Journey.FLAG_ACK) != 0;
        if (syn || (flags & Journey.FLAG_FIN) != 0 || len > 0 || !ackFlag) {
            sb.append(" seq=").append(seq);
        }
        if (ackFlag) {
            sb.append(" ack=").append(ack);
        }
        if (len > 0) {
            sb.append(" len=").append(len);
        }
        if (syn) {
            sb.append(" win=").append(window);
        }
        return sb.toString();
    }

    private static String dnsResult(Journey j, long s, String name) {
        int source = (int) j.a(s);
        long address = j.b(s);
        long c = j.c(s);
        int error = (int) (c & 0xFF);
        long tries = (c >>> 8) & 0xFF;
        long cnames = (c >>> 16) & 0xFF;
        long ttl = c >>> 32;
        String src = name(DnsResolver.SOURCE_NAMES, source);
        StringBuilder sb = new StringBuilder("DNS ").append(name);
        if (dnsFailed(j, s)) {
            sb.append(" failed: ").append(name(DnsResolver.ERROR_NAMES, error));
            if (source == DnsResolver.SOURCE_CACHE) {
                sb.append(" (cached)");
            } else if (tries > 0) {
                sb.append(" after ").append(tries).append(tries == 1 ? " try" : " tries");
            }
            return sb.toString();
        }
        sb.append(" = ").append(ip(address)).append(" from ").append(src);
        switch (source) {
            case DnsResolver.SOURCE_SERVER:
                sb.append(' ').append(ip(j.peer(s))).append(", id ").append(hex16(j.d(s))).append(", ttl ").append(ttl).append(" s");
                break;
            case DnsResolver.SOURCE_CACHE:
                sb.append(" (").append(ttl).append(" s left)");
                break;
            case DnsResolver.SOURCE_STALE:
                sb.append(" (").append(name(DnsResolver.ERROR_NAMES, error)).append(")");
                break;
            default:
                break;
        }
        if (cnames > 0) {
            sb.append(", ").append(cnames).append(" CNAME");
        }
        if (tries > 1) {
            sb.append(", ").append(tries).append(" tries");
        }
        return sb.toString();
    }

    private static String httpPhase(long phase, long value, String text) {
        switch ((int) phase) {
            case Journey.HTTP_REQUEST_SENT:
                return "HTTP request sent (" + value + " B)";
            case Journey.HTTP_STATUS_RECEIVED:
                return "HTTP status " + value;
            case Journey.HTTP_HEADERS_DONE:
                return "HTTP headers done" + (value >= 0 ? " (Content-Length " + value + ")" : " (chunked or to close)");
            case Journey.HTTP_FIRST_BYTE:
                return "HTTP first body byte (" + value + " B in the segment)";
            case Journey.HTTP_BODY_DONE:
                return "HTTP body done: " + value + " B";
            case Journey.HTTP_REDIRECT:
                return "HTTP redirect " + value + " to " + text;
            case Journey.HTTP_FAILED:
                return "failed: " + text + " (" + value + ")";
            default:
                return "HTTP " + name(Journey.HTTP_PHASE_NAMES, phase) + (text.isEmpty() ? "" : " " + text);
        }
    }
}
