/**
 * The desktop board: a register-level ENC28J60 emulator behind {@link io.ethling.hal.SpiDevice}
 * ({@link io.ethling.hal.emulator.Enc28j60Emulator}), a {@link io.ethling.hal.emulator.VirtualClock},
 * a {@link io.ethling.hal.emulator.VirtualWire} with seeded faults, and a Linux
 * {@link io.ethling.hal.emulator.TapDevice} through the FFM API.
 *
 * <p>The emulator is written from ENC28J60.md (data sheet DS39662E, errata DS80349C) and shares no
 * constant with the driver, so a wrong constant cannot pass both. Typical wiring in a test:
 *
 * <pre>{@code
 * VirtualClock clock = new VirtualClock();
 * Enc28j60Emulator chip = new Enc28j60Emulator(clock, new EmulatorConfig().strict(true).seed(seed));
 * VirtualWire wire = new VirtualWire(clock, WireFaults.none().delayNanos(50_000), seed);
 * chip.connect(wire.portA());          // what the chip transmits enters the wire at A
 * wire.attachA(chip.wireInput());      // what arrives at A is received by the chip
 * wire.attachB(peer);                  // the other end (another emulator, a responder, a pcap)
 * // loop: driver.poll(now); wire.deliver(); chip.tick();
 * //       clock.advanceTo(min(driver.pollAtNs(now), wire.nextDeliveryNs(), chip.nextEventNs()))
 * }</pre>
 */
package io.ethling.hal.emulator;
