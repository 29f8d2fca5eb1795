package io.ethling.stack.dhcp;

import io.ethling.stack.dhcp.DhcpTestKit.Reply;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static io.ethling.stack.dhcp.DhcpTestKit.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flyweight's writer (golden bytes into junk-filled buffers) and the option walk of {@link DhcpRepr}. */
class DhcpMessageTest {

    private static final byte[] HOST = "ethling".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    /** The expected message: the fixed part built field by field, then {@code optionsHex}, zero-padded to 300. */
    private static byte[] expected(int flags, int ciaddr, String optionsHex) {
        byte[] m = new byte[240];
        m[0] = 1;
        m[1] = 1;
        m[2] = 6;
        put32(m, 4, 0x01020304);
        m[10] = (byte) (flags >>> 8);
        put32(m, 12, ciaddr);
        putMac(m, 28, MAC);
        put32(m, 236, 0x63825363);
        byte[] o = hex(optionsHex);
        byte[] all = Arrays.copyOf(m, Math.max(300, 240 + o.length));
        System.arraycopy(o, 0, all, 240, o.length);
        return all;
    }

    private static byte[] junkBuffer() {
        byte[] b = new byte[DhcpMessage.MAX_SEND_LENGTH + 20];
        Arrays.fill(b, (byte) 0xC3);
        return b;
    }

    private static final String CLIENT_ID = "3d 07 01 02005e102030";
    private static final String REQUEST_OPTS = "37 07 01 03 06 0f 33 3a 3b  39 02 05dc  0c 07 6574686c696e67";

    @Test
    void writesGoldenDiscoverIntoJunkFilledBuffer() {
        byte[] b = junkBuffer();
        DhcpMessage msg = new DhcpMessage().wrap(b, 5, DhcpMessage.MAX_SEND_LENGTH);
        int len = msg.emitDiscover(0x01020304, 0, true, MAC, 0, HOST, HOST.length);
        byte[] want = expected(0x8000, 0, "35 01 01 " + CLIENT_ID + REQUEST_OPTS + " ff");
        assertEquals(300, len);
        assertArrayEquals(want, Arrays.copyOfRange(b, 5, 5 + len));
        assertEquals((byte) 0xC3, b[5 + len], "nothing written past the message");
        assertEquals((byte) 0xC3, b[4]);
    }

    @Test
    void discoverWithRequestedAddressAndNoHostname() {
        byte[] b = junkBuffer();
        int len = new DhcpMessage().wrap(b, 0, DhcpMessage.MAX_SEND_LENGTH)
            .emitDiscover(0x01020304, 70_000, false, MAC, YIADDR, null, 0);
        byte[] want = expected(0, 0, "35 01 01 " + CLIENT_ID + " 32 04 cb007132 37 07 01 03 06 0f 33 3a 3b 39 02 05dc ff");
        want[8] = (byte) 0xFF;                             // secs 70,000 saturates at 65,535
        want[9] = (byte) 0xFF;
        assertArrayEquals(want, Arrays.copyOf(b, len));
    }

    @Test
    void requestVariantsFollowTable5() {
        byte[] b = junkBuffer();
        DhcpMessage msg = new DhcpMessage().wrap(b, 0, DhcpMessage.MAX_SEND_LENGTH);
        int len = msg.emitRequest(DhcpMessage.REQUEST_SELECTING, 0x01020304, 0, true, MAC, YIADDR, SERVER, HOST, HOST.length);
        assertArrayEquals(expected(0x8000, 0, "35 01 03 " + CLIENT_ID + " 32 04 cb007132 36 04 cb007101 " + REQUEST_OPTS + " ff"),
            Arrays.copyOf(b, len), "SELECTING: requested IP and server id");
        Arrays.fill(b, (byte) 0xC3);
        len = msg.wrap(b, 0, DhcpMessage.MAX_SEND_LENGTH)
            .emitRequest(DhcpMessage.REQUEST_INIT_REBOOT, 0x01020304, 0, true, MAC, YIADDR, SERVER, HOST, HOST.length);
        assertArrayEquals(expected(0x8000, 0, "35 01 03 " + CLIENT_ID + " 32 04 cb007132 " + REQUEST_OPTS + " ff"),
            Arrays.copyOf(b, len), "INIT-REBOOT: requested IP, no server id");
        for (int variant : new int[] {DhcpMessage.REQUEST_RENEWING, DhcpMessage.REQUEST_REBINDING}) {
            Arrays.fill(b, (byte) 0xC3);
            len = msg.wrap(b, 0, DhcpMessage.MAX_SEND_LENGTH)
                .emitRequest(variant, 0x01020304, 0, false, MAC, YIADDR, SERVER, HOST, HOST.length);
            assertArrayEquals(expected(0, YIADDR, "35 01 03 " + CLIENT_ID + REQUEST_OPTS + " ff"),
                Arrays.copyOf(b, len), "RENEWING/REBINDING: ciaddr only");
        }
    }

    @Test
    void declineAndReleaseCarryOnlyWhatTable5Allows() {
        byte[] b = junkBuffer();
        DhcpMessage msg = new DhcpMessage().wrap(b, 0, DhcpMessage.MAX_SEND_LENGTH);
        int len = msg.emitDecline(0x01020304, MAC, YIADDR, SERVER);
        assertArrayEquals(expected(0, 0, "35 01 04 " + CLIENT_ID + " 32 04 cb007132 36 04 cb007101 ff"), Arrays.copyOf(b, len));
        Arrays.fill(b, (byte) 0xC3);
        len = msg.wrap(b, 0, DhcpMessage.MAX_SEND_LENGTH).emitRelease(0x01020304, MAC, YIADDR, SERVER);
        assertArrayEquals(expected(0, YIADDR, "35 01 07 " + CLIENT_ID + " 36 04 cb007101 ff"), Arrays.copyOf(b, len));
    }

    @Test
    void checkReplyRejectsEveryBrokenFixedField() {
        byte[] good = Reply.standard(2, 9, YIADDR, SERVER, 3600).end().build();
        assertEquals(DhcpMessage.OK, checkBoth(good, good.length));
        assertEquals(DhcpMessage.ERR_TRUNCATED, checkBoth(good, 239));
        assertEquals(DhcpMessage.OK, checkBoth(good, 240), "cookie but no options: the fixed part is fine");
        assertEquals(DhcpMessage.ERR_OP, checkBoth(Reply.standard(2, 9, YIADDR, SERVER, 1).field8(0, 1).build(), 260));
        assertEquals(DhcpMessage.ERR_HARDWARE, checkBoth(Reply.standard(2, 9, YIADDR, SERVER, 1).field8(1, 0).build(), 260));
        assertEquals(DhcpMessage.ERR_HARDWARE, checkBoth(Reply.standard(2, 9, YIADDR, SERVER, 1).field8(2, 7).build(), 260));
        assertEquals(DhcpMessage.ERR_COOKIE, checkBoth(Reply.standard(2, 9, YIADDR, SERVER, 1).field32(236, 0).build(), 260));
        DhcpMessage m = new DhcpMessage().wrap(good, 0, good.length + 1);
        assertEquals(DhcpMessage.ERR_TRUNCATED, m.checkReply(), "a length past the array is refused, not read");
    }

    private static int checkBoth(byte[] m, int len) {
        int clean = new DhcpMessage().wrap(m, 0, len).checkReply();
        assertEquals(clean, new DhcpMessage().wrap(dirty(m), DIRTY_OFFSET, len).checkReply(), "dirty-buffer run differs");
        return clean;
    }

    /** Parses {@code m} clean and dirty; statuses and every parsed field must match. */
    private static DhcpRepr parseBoth(byte[] m, int expectedStatus) {
        DhcpRepr clean = new DhcpRepr(3);
        DhcpRepr dirtyRepr = new DhcpRepr(3);
        // pre-fill the dirty holder with another message's content: parse must clear it
        byte[] other = Reply.standard(5, 1, YIADDR, SERVER, 99).opt(12, 'o', 'l', 'd').opt(15, 'x').end().build();
        assertEquals(DhcpMessage.OK, new DhcpMessage().wrap(other, 0, other.length).checkReply());
        dirtyRepr.parse(new DhcpMessage().wrap(other, 0, other.length));
        assertEquals(DhcpMessage.OK, new DhcpMessage().wrap(m, 0, m.length).checkReply());
        int s1 = clean.parse(new DhcpMessage().wrap(m, 0, m.length));
        int s2 = dirtyRepr.parse(new DhcpMessage().wrap(dirty(m), DIRTY_OFFSET, m.length));
        assertEquals(expectedStatus, s1);
        assertEquals(s1, s2, "dirty-buffer status differs");
        if (s1 == DhcpRepr.OK) {
            assertEquals(describe(clean), describe(dirtyRepr), "dirty-buffer fields differ");
        }
        return clean;
    }

    private static String describe(DhcpRepr r) {
        return "present=" + Integer.toBinaryString(r.present) + " type=" + r.messageType + " server=" + fmt(r.serverId)
            + " mask=" + fmt(r.subnetMask) + " router=" + fmt(r.router) + " dns=" + r.dnsCount + ":"
            + Arrays.toString(Arrays.copyOf(r.dnsServers, r.dnsCount)) + " lease=" + r.leaseSeconds + " t1=" + r.renewalSeconds
            + " t2=" + r.rebindingSeconds + " host=" + new String(r.hostname, 0, r.hostnameLength, java.nio.charset.StandardCharsets.ISO_8859_1)
            + " domain=" + new String(r.domainName, 0, r.domainNameLength, java.nio.charset.StandardCharsets.ISO_8859_1)
            + " overload=" + r.overload + " xid=" + r.xid + " yiaddr=" + fmt(r.yiaddr);
    }

    @Test
    void parsesEveryOptionWeUse() {
        byte[] m = Reply.standard(5, 0x0A0B0C0D, YIADDR, SERVER, 7200).opt32(58, 100).opt32(59, 200)
            .opt(12, 'h', 'o', 's', 't').opt(15, 'l', 'a', 'n').raw(0, 0, 0).opt(200, 1, 2, 3).end().build();
        DhcpRepr r = parseBoth(m, DhcpRepr.OK);
        assertEquals(DhcpMessage.DHCPACK, r.messageType);
        assertEquals(SERVER, r.serverId);
        assertEquals(MASK, r.subnetMask);
        assertEquals(ROUTER, r.router);
        assertEquals(2, r.dnsCount);
        assertEquals(DNS1, r.dnsServers[0]);
        assertEquals(DNS2, r.dnsServers[1]);
        assertEquals(7200, r.leaseSeconds);
        assertEquals(100, r.renewalSeconds);
        assertEquals(200, r.rebindingSeconds);
        assertEquals(4, r.hostnameLength);
        assertEquals(3, r.domainNameLength);
        assertEquals(0x0A0B0C0D, r.xid);
        assertEquals(YIADDR, r.yiaddr);
        assertEquals(MAC, r.chaddr);
        assertEquals(0xFFFF_FFFFL, parseBoth(Reply.standard(5, 1, YIADDR, SERVER, 0xFFFF_FFFFL).end().build(), DhcpRepr.OK)
            .leaseSeconds, "unsigned 32-bit lease");
    }

    @Test
    void parseClearsThePreviousMessage() {
        DhcpRepr r = new DhcpRepr(3);
        byte[] full = Reply.standard(5, 1, YIADDR, SERVER, 99).opt(12, 'o').end().build();
        r.parse(new DhcpMessage().wrap(full, 0, full.length));
        assertTrue(r.has(DhcpRepr.HAS_HOSTNAME));
        byte[] bare = new Reply(6, 2, 0).end().build();
        assertEquals(DhcpRepr.OK, r.parse(new DhcpMessage().wrap(bare, 0, bare.length)));
        assertEquals(DhcpRepr.HAS_MESSAGE_TYPE, r.present);
        assertEquals(0, r.dnsCount);
        assertEquals(0, r.hostnameLength);
        assertEquals(0, r.serverId);
        assertEquals(0, r.leaseSeconds);
    }

    @Test
    void h1OverrunsAreRefused() {
        parseBoth(Reply.standard(2, 1, YIADDR, SERVER, 60).raw(120, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).build(),
            DhcpRepr.ERR_OPTION_OVERRUN);
        parseBoth(Reply.standard(2, 1, YIADDR, SERVER, 60).raw(120).build(), DhcpRepr.ERR_OPTION_OVERRUN);
        parseBoth(Reply.standard(2, 1, YIADDR, SERVER, 60).raw(120, 1).build(), DhcpRepr.ERR_OPTION_OVERRUN);
        parseBoth(Reply.standard(2, 1, YIADDR, SERVER, 60).raw(120, 0).build(), DhcpRepr.OK);
    }

    @Test
    void h1WrongLengthsOfFixedSizeOptionsAreRefused() {
        int[] codes = {1, 51, 53, 54, 58, 59};
        for (int code : codes) {
            parseBoth(new Reply(0, 1, YIADDR).opt(code, 1, 2, 3).end().build(), DhcpRepr.ERR_OPTION_LENGTH);
            parseBoth(new Reply(0, 1, YIADDR).opt(code, 1, 2, 3, 4, 5).end().build(), DhcpRepr.ERR_OPTION_LENGTH);
        }
        parseBoth(new Reply(0, 1, YIADDR).opt(3, 1, 2, 3).end().build(), DhcpRepr.ERR_OPTION_LENGTH);
        DhcpRepr r = parseBoth(new Reply(0, 1, YIADDR).opt(3, 203, 0, 113, 9, 1).end().build(), DhcpRepr.OK);
        assertEquals(ip("203.0.113.9"), r.router, "the first router; a trailing partial address is ignored");
    }

    @Test
    void h2WalkStopsAtTheEndOfTheData() {
        DhcpRepr r = parseBoth(new Reply(2, 1, YIADDR).opt32(54, SERVER).build(), DhcpRepr.OK);
        assertEquals(SERVER, r.serverId);
        assertFalse(r.has(DhcpRepr.HAS_LEASE_TIME), "the dirty tail's lease option must not be seen");
        assertFalse(r.has(DhcpRepr.HAS_HOSTNAME));
        DhcpRepr stop = parseBoth(new Reply(2, 1, YIADDR).end().opt32(54, SERVER).build(), DhcpRepr.OK);
        assertFalse(stop.has(DhcpRepr.HAS_SERVER_ID), "nothing after End is read");
    }

    @Test
    void h3OverloadWalksFileThenSnameWithinTheirBounds() {
        Reply both = new Reply(5, 1, YIADDR).opt(52, 3).end();
        // file: server id A, then End; sname: server id B, mask, no End (ends at the field's end)
        both.field8(108, 54).field8(109, 4).field32(110, SERVER).field8(114, 255);
        both.field8(44, 54).field8(45, 4).field32(46, SERVER2).field8(50, 1).field8(51, 4).field32(52, MASK);
        DhcpRepr r = parseBoth(both.build(), DhcpRepr.OK);
        assertEquals(SERVER, r.serverId, "'file' is walked before 'sname'");
        assertEquals(MASK, r.subnetMask);
        assertEquals(3, r.overload);
        // sname only (2): file is not walked
        Reply snameOnly = new Reply(5, 1, YIADDR).opt(52, 2).end();
        snameOnly.field8(108, 54).field8(109, 4).field32(110, SERVER);
        snameOnly.field8(44, 1).field8(45, 4).field32(46, MASK);
        DhcpRepr s = parseBoth(snameOnly.build(), DhcpRepr.OK);
        assertFalse(s.has(DhcpRepr.HAS_SERVER_ID));
        assertEquals(MASK, s.subnetMask);
        // an option in 'sname' claiming more than the 64 bytes of the field
        Reply over = new Reply(5, 1, YIADDR).opt(52, 2).end();
        over.field8(100, 12).field8(101, 20);
        parseBoth(over.build(), DhcpRepr.ERR_OPTION_OVERRUN);
        // an overload option inside 'file' is ignored, not followed
        Reply nested = new Reply(5, 1, YIADDR).opt(52, 1).end();
        nested.field8(108, 52).field8(109, 1).field8(110, 2).field8(111, 255);
        nested.field8(44, 0xC6);
        assertEquals(1, parseBoth(nested.build(), DhcpRepr.OK).overload);
        for (int v : new int[] {0, 4, 7}) {
            parseBoth(new Reply(5, 1, YIADDR).opt(52, v).end().build(), DhcpRepr.ERR_OVERLOAD);
        }
        // without option 52, garbage in sname/file is never looked at
        Reply plain = new Reply(5, 1, YIADDR).end();
        for (int i = 44; i < 236; i++) {
            plain.field8(i, 0xC6);
        }
        parseBoth(plain.build(), DhcpRepr.OK);
    }

    @Test
    void h4FirstInstanceWins() {
        DhcpRepr r = parseBoth(new Reply(2, 1, YIADDR).opt(53, 5).opt32(54, SERVER).opt32(54, SERVER2)
            .opt32(51, 10).opt32(51, 20).opt(53, 3, 3).end().build(), DhcpRepr.OK);
        assertEquals(DhcpMessage.DHCPOFFER, r.messageType);
        assertEquals(SERVER, r.serverId);
        assertEquals(10, r.leaseSeconds);
    }

    @Test
    void h9DnsListTrimmedToWholeAddressesAndCapacity() {
        assertEquals(0, parseBoth(new Reply(5, 1, YIADDR).opt(6).end().build(), DhcpRepr.OK).dnsCount);
        assertEquals(0, parseBoth(new Reply(5, 1, YIADDR).opt(6, 1, 2, 3).end().build(), DhcpRepr.OK).dnsCount);
        assertEquals(2, parseBoth(new Reply(5, 1, YIADDR).opt(6, 1, 1, 1, 1, 2, 2, 2, 2, 3).end().build(), DhcpRepr.OK).dnsCount);
        int[] ten = new int[40];
        for (int i = 0; i < 40; i++) {
            ten[i] = i;
        }
        DhcpRepr r = parseBoth(new Reply(5, 1, YIADDR).opt(6, ten).end().build(), DhcpRepr.OK);
        assertEquals(3, r.dnsCount);
        assertEquals(0x08090A0B, r.dnsServers[2]);
    }

    @Test
    void h13NamesAreBoundedAndStopAtNul() {
        int[] name = new int[255];
        Arrays.fill(name, 'q');
        DhcpRepr r = parseBoth(new Reply(5, 1, YIADDR).opt(12, name).opt(15, name).end().build(), DhcpRepr.OK);
        assertEquals(DhcpRepr.NAME_CAPACITY, r.hostnameLength);
        assertEquals(DhcpRepr.NAME_CAPACITY, r.domainNameLength);
        DhcpRepr nul = parseBoth(new Reply(5, 1, YIADDR).opt(12, 'a', 0, 'b').opt(15).end().build(), DhcpRepr.OK);
        assertEquals(1, nul.hostnameLength);
        assertEquals(0, nul.domainNameLength);
        assertTrue(nul.has(DhcpRepr.HAS_DOMAIN_NAME));
    }

    @Test
    void configRefusesBadValues() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DhcpConfig.of(0x01_00_00_00_00_01L, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DhcpConfig.of(MAC, "x".repeat(64)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DhcpConfig.of(MAC, "has space"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new DhcpConfig(MAC, null, 0, 0, true, 60, 3600));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new DhcpConfig(MAC, null, 3, 0, true, 3600, 60));
        assertEquals(MAC, DhcpConfig.of(MAC, "ok").mac());
    }
}
