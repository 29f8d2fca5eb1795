package io.ethling.firmware;

/**
 * The board's MAC address when the board file sets none: derived from the Raspberry Pi's serial
 * number, so it is stable across reboots and different on every Pi.
 *
 * <p>The ENC28J60 has no MAC of its own (PLATFORM.md §2.3). The address is {@code 02:} followed by
 * the low 40 bits of the serial number: first octet 0x02 sets the locally administered bit (U/L)
 * and clears the group bit (I/G), so it is a unicast address that can never collide with a
 * vendor-assigned one (IEEE 802-2014 §8.2). The serial is read from {@code /proc/cpuinfo}'s
 * {@code Serial} line or the device tree's {@code serial-number} (both hexadecimal text).
 */
public final class SerialMac {

    private static final long LOCALLY_ADMINISTERED = 0x02L << 40;
    private static final long LOW_40_BITS = 0xFF_FFFF_FFFFL;

    private SerialMac() {
    }

    /**
     * The MAC for a serial number given as hex text ("10000000abcdef12").
     *
     * @throws IllegalArgumentException one line, when the text is not a non-zero hex number of at
     *         most 16 digits
     */
    public static long fromSerial(String serialHex) {
        String s = serialHex.strip();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        if (s.isEmpty() || s.length() > 16) {
            throw new IllegalArgumentException("serial number \"" + serialHex.strip() + "\" is not 1-16 hex digits");
        }
        long serial;
        try {
            serial = Long.parseUnsignedLong(s, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("serial number \"" + serialHex.strip() + "\" is not hexadecimal");
        }
        if ((serial & LOW_40_BITS) == 0) {
            throw new IllegalArgumentException("serial number \"" + serialHex.strip() + "\" has no bits to make a MAC from");
        }
        return LOCALLY_ADMINISTERED | serial & LOW_40_BITS;
    }

    /**
     * The serial number in {@code /proc/cpuinfo} text (the line {@code Serial : 1000…}), or
     * {@code null} if there is none (not a Raspberry Pi, or a kernel that does not show it; then try
     * {@code /sys/firmware/devicetree/base/serial-number}).
     */
    public static String serialFromCpuinfo(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("Serial")) {
                String v = line.substring(colon + 1).strip();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /** {@code 02:12:34:56:78:9a} for a MAC in the low 48 bits (cold path). */
    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 15, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
