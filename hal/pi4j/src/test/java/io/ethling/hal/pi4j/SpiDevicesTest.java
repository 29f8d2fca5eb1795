package io.ethling.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpiDevicesTest {

    @Test
    void unknownKindIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpiDevices.open("bitbang", 0, 0, 12_000_000));
        assertEquals("unknown SPI kind \"bitbang\": use \"spidev\" or \"pi4j\"", e.getMessage());
    }

    @Test
    void pi4jKindNeedsABoard() {
        assertThrows(IllegalArgumentException.class, () -> SpiDevices.open("pi4j", 0, 0, 12_000_000, null));
    }

    @Test
    void clockIsCheckedForEveryKindBeforeAnythingOpens() {
        for (String kind : new String[] {"spidev", "pi4j", null, ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SpiDevices.open(kind, 0, 0, 5_000_000));
            assertTrue(e.getMessage().contains("errata #1"), kind + ": " + e.getMessage());
        }
    }

    @Test
    void defaultKindIsSpidevAndReportsAMissingNodeClearly() {
        assumeFalse(Files.exists(Path.of("/dev/spidev7.3")), "/dev/spidev7.3 exists");
        for (String kind : new String[] {null, "", " SPIDEV "}) {
            IOException e = assertThrows(IOException.class, () -> SpiDevices.open(kind, 7, 3, 12_000_000));
            assertTrue(e.getMessage().startsWith("/dev/spidev7.3: No such file or directory — enable SPI"),
                    e.getMessage());
        }
    }

    @Test
    void pi4jKindReportsAMissingNodeWithTheSameClearLine() {
        assumeFalse(Files.exists(Path.of("/dev/spidev7.3")), "/dev/spidev7.3 exists");
        IOException e = assertThrows(IOException.class, () -> SpiDevices.open("pi4j", 7, 3, 12_000_000));
        assertEquals("/dev/spidev7.3: No such file or directory — enable SPI with raspi-config"
                + " (dtparam=spi=on) and make sure the enc28j60 overlay is not loaded", e.getMessage());
    }
}
