package io.ethling.stack.iface;

import java.util.ArrayList;
import java.util.List;

/**
 * The interface's named counters: one index per frame, drop reason, error and event, so nothing
 * is lost silently. Indices are registered once at class initialisation; reading and bumping
 * them is an array access.
 */
final class Stat {

    private static final List<String> NAMES = new ArrayList<>();

    private static int c(String name) {
        NAMES.add(name);
        return NAMES.size() - 1;
    }

    static final int RX_FRAMES = c("rx.frames");
    static final int RX_BYTES = c("rx.bytes");
    static final int RX_DROP_SHORT = c("rx.drop.short");              // E1
    static final int RX_DROP_NOT_FOR_US = c("rx.drop.notforus");      // E4
    static final int RX_DROP_ETHERTYPE = c("rx.drop.ethertype");      // E3
    static final int RX_DEVICE_ERRORS = c("rx.device.errors");
    static final int TX_FRAMES = c("tx.frames");
    static final int TX_BYTES = c("tx.bytes");
    static final int TX_DROP_RING_FULL = c("tx.drop.ringfull");
    static final int TX_DROP_DEVICE = c("tx.drop.device");
    static final int TX_DEVICE_BUSY = c("tx.device.busy");

    static final int ARP_RX = c("arp.rx");
    static final int ARP_DROP_MALFORMED = c("arp.drop.malformed");    // A1, A2
    static final int ARP_DROP_SENDER = c("arp.drop.sender");          // A5
    static final int ARP_DROP_UNSOLICITED = c("arp.drop.unsolicited");// A3
    static final int ARP_DROP_OWN = c("arp.drop.own");
    static final int ARP_CONFLICT = c("arp.conflict");                // A4
    static final int ARP_DEFEND = c("arp.defend");
    static final int ARP_REQUESTS_SENT = c("arp.requests.sent");
    static final int ARP_REPLIES_SENT = c("arp.replies.sent");
    static final int ARP_PROBES_SENT = c("arp.probes.sent");
    static final int ARP_ANNOUNCEMENTS_SENT = c("arp.announcements.sent");
    static final int ARP_RESOLVED = c("arp.resolved");
    static final int ARP_REFRESHED = c("arp.refreshed");
    static final int ARP_EXPIRED = c("arp.expired");
    static final int ARP_EVICTED = c("arp.evicted");
    static final int ARP_UNREACHABLE = c("arp.unreachable");          // A8
    static final int ARP_PENDING_REPLACED = c("arp.pending.replaced"); // A7
    static final int ARP_GATEWAY_MAC_CHANGES = c("arp.gateway.mac.changes");
    static final int ARP_MAC_CHANGE_REFUSED = c("arp.mac.change.refused");

    static final int IP_RX = c("ip.rx");
    static final int IP_DROP_BASE = c("ip.drop.truncated");           // + Ipv4Packet status - 1
    static final int IP_DROP_VERSION = c("ip.drop.version");
    static final int IP_DROP_HEADER_LENGTH = c("ip.drop.header.length");
    static final int IP_DROP_TOTAL_LENGTH = c("ip.drop.total.length");
    static final int IP_DROP_CHECKSUM = c("ip.drop.checksum");
    static final int IP_DROP_OPTIONS = c("ip.drop.options");
    static final int IP_DROP_FRAGMENT = c("ip.drop.fragment");
    static final int IP_DROP_TRANSPORT_LENGTH = c("ip.drop.transport.length");
    static final int IP_DROP_SOURCE = c("ip.drop.source");            // I8
    static final int IP_DROP_NOT_FOR_US = c("ip.drop.notforus");      // I9
    static final int IP_DROP_PROTOCOL = c("ip.drop.protocol");        // I14
    static final int IP_TX = c("ip.tx");
    static final int IP_DROP_NO_ROUTE = c("ip.drop.noroute");

    static final int ICMP_RX = c("icmp.rx");
    static final int ICMP_DROP_MALFORMED = c("icmp.drop.malformed");  // C1, C3
    static final int ICMP_DROP_BROADCAST = c("icmp.drop.broadcast");  // C8
    static final int ICMP_DROP_TYPE = c("icmp.drop.type");            // C6, C7
    static final int ICMP_ECHO_REPLIES_SENT = c("icmp.echo.replies.sent");
    static final int ICMP_ECHO_RATE_LIMITED = c("icmp.echo.ratelimited"); // C10
    static final int ICMP_ECHO_REPLIES_RX = c("icmp.echo.replies.rx");
    static final int ICMP_UNREACH_RX = c("icmp.unreach.rx");
    static final int ICMP_UNREACH_IGNORED = c("icmp.unreach.ignored");  // C4
    static final int ICMP_UNREACH_SENT = c("icmp.unreach.sent");
    static final int ICMP_ERRORS_RATE_LIMITED = c("icmp.errors.ratelimited");

    static final int UDP_RX = c("udp.rx");
    static final int UDP_DROP_MALFORMED = c("udp.drop.malformed");    // U1, U2
    static final int UDP_DROP_PORT = c("udp.drop.port");              // U5
    static final int UDP_DROP_CHECKSUM = c("udp.drop.checksum");      // U3
    static final int UDP_DROP_NO_SOCKET = c("udp.drop.nosocket");     // U4
    static final int UDP_DROP_QUEUE_FULL = c("udp.drop.queuefull");
    static final int UDP_TX = c("udp.tx");

    static String[] names() {
        return NAMES.toArray(new String[0]);
    }

    private Stat() {
    }
}
