package io.ethling.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The explicit context with the real providers builds on any machine (PLATFORM.md §1.2); no device
 * is created here, so nothing touches hardware.
 */
class Pi4jBoardRealProvidersTest {

    @Test
    void explicitContextHasExactlyTheFourNamedProviders() {
        try (Pi4jBoard board = Pi4jBoard.open("gpiochip0")) {
            var providers = board.context().providers();
            assertTrue(providers.exists("linuxfs-spi"));
            assertTrue(providers.exists("linuxfs-i2c"));
            assertTrue(providers.exists("gpiod-digital-input"));
            assertTrue(providers.exists("gpiod-digital-output"));
            assertFalse(providers.exists("mock-spi"), "no auto-detected mock providers");
            assertFalse(providers.exists("linuxfs-digital-input"), "no auto-detected providers at all");
            assertEquals(4, providers.all().size(), providers.all().keySet().toString());
            assertEquals(Pi4jBoard.ProviderIds.LINUX, board.providerIds());
        }
    }
}
