package io.ethling.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SerialMacTest {

    @Test
    void aSerialBecomesALocallyAdministeredUnicastMac() {
        long mac = SerialMac.fromSerial("10000000abcdef12");
        assertEquals(0x02_00abcdef12L, mac);
        assertEquals("02:00:ab:cd:ef:12", SerialMac.format(mac));
        assertEquals(0x02, (int) (mac >>> 40), "U/L set, I/G clear");
        // Pi 5 serials are 16 hex digits without the leading 1000…
        assertEquals("02:4e:5f:6a:7b:8c", SerialMac.format(SerialMac.fromSerial("  d83add4e5f6a7b8c\n")));
        assertEquals("02:00:00:00:00:01", SerialMac.format(SerialMac.fromSerial("0x1")));
    }

    @Test
    void theSerialIsFoundInCpuinfo() {
        String cpuinfo = """
                processor\t: 3
                BogoMIPS\t: 108.00
                Hardware\t: BCM2835
                Revision\t: c03111
                Serial\t\t: 10000000abcdef12
                Model\t\t: Raspberry Pi 4 Model B Rev 1.1
                """;
        assertEquals("10000000abcdef12", SerialMac.serialFromCpuinfo(cpuinfo));
        assertNull(SerialMac.serialFromCpuinfo("processor : 0\nmodel name : x86\n"));
    }

    @Test
    void badSerialsGiveOneLine() {
        assertEquals("serial number \"xyz\" is not hexadecimal",
                assertThrows(IllegalArgumentException.class, () -> SerialMac.fromSerial("xyz")).getMessage());
        assertEquals("serial number \"0000000000000000\" has no bits to make a MAC from",
                assertThrows(IllegalArgumentException.class, () -> SerialMac.fromSerial("0000000000000000")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SerialMac.fromSerial(""));
        assertThrows(IllegalArgumentException.class, () -> SerialMac.fromSerial("1".repeat(17)));
    }
}
