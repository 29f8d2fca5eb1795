/**
 * The Microchip ENC28J60 driver: {@link io.ethling.hal.enc28j60.Enc28j60} implements
 * {@link io.ethling.hal.EthernetDevice} over {@link io.ethling.hal.SpiDevice}, configured by
 * {@link io.ethling.hal.enc28j60.Enc28j60Config}. Written from the shared ENC28J60.md (data sheet
 * DS39662E, errata DS80349C numbering); every workaround names its errata item in the code.
 *
 * <h2>Memory layout</h2>
 * Receive ring 0x0000..rxBufferEnd (default 0x19FF, 6656 bytes; ERXST = 0 for errata #5, odd end for
 * errata #14); one transmit buffer at rxBufferEnd+1 (control byte, up to 1514 frame bytes, 7-byte
 * status vector). The SPI clock probe at start-up writes and reads back the transmit area.
 *
 * <h2>SPI cost per frame (steady state, measured against the emulator)</h2>
 * With the INT pin, len = receive-status byte count incl. FCS for RX, frame length for TX:
 * <pre>
 *            transactions  bytes        Linux (ENC28J60.md §9)
 *   RX 60         6         len+16        17 / len+38
 *   RX 1514       6         len+16        17 / len+38
 *   TX 60         6         len+12        18 / len+35
 *   TX 1514       7         len+14        18 / len+35
 * </pre>
 * RX: RCR ERXWRPTL, RBM header, RBM frame+FCS+pad, WCR ERXRDPTL, WCR ERXRDPTH, BFS PKTDEC (a frame
 * with an odd byte count reads one pad byte more). An asserted INT proves the chip still holds our
 * EIE (a reset clears it), so the ring can be trusted without further checks. TX: RCR ECON1 (never
 * start a transmission on a chip reset behind our back), WCR EWRPT (only the bytes that changed), WBM
 * control+frame, WCR ETXND (only if the length changed), BFS TXRTS, then RCR EIR + BFC TXIF when the
 * completion is seen; at most 9 when the lengths alternate. In a burst of packets ERXWRPTL is read once and ERXRDPT written once at the
 * end (or after each quarter of the ring): 16 x 60-byte frames cost 3.19 transactions each, 4 x
 * 1514-byte frames 4.25. Without an INT pin every poll() reads EIR and every empty receive() reads
 * ERXWRPT (two RCRs), and receive() confirms ECON1 at most once per millisecond before trusting the
 * ring, so the per-frame figure depends on how often the loop runs (one loop pass per frame: 10 for
 * RX); the INT pin is strongly recommended.
 *
 * <h2>SPI clock</h2>
 * With tuneSpiClock (default) the candidates are probed fastest first by writing and reading back
 * 4 x 1 KB in the transmit area; the driver keeps the fastest passing clock and steps down to the
 * next really slower one for margin. It judges the clock the SpiDevice reports (a divider may round
 * down) and refuses effective clocks below 8 MHz (errata #1) unless only slower ones were offered.
 * Without tuning the fastest candidate is used.
 *
 * <h2>Recovery</h2>
 * Counted in {@link io.ethling.hal.enc28j60.Enc28j60#counters()}: bad next pointer → receive-logic
 * reset (rx.reset, rx.drop.nextptr; RELIABILITY E6); bad length/status/CRC → dropped and skipped
 * (rx.drop.length/status/crc; E7); overflow (rx.overflow; E8); EPKTCNT without packets → drained
 * (rx.phantom; E10); abort → TXRST pulse (tx.abort, tx.reset; errata #12); late collision → resent
 * (tx.latecollision.retry; errata #13); transmit time-out (tx.timeout); link changes (link.up,
 * link.down); reset or dead chip → re-initialised by the supervisor with the same MAC
 * (chip.fault, chip.reinit), retried with back-off from 20 ms to 10 s while no chip answers
 * (chip.absent; E9).
 */
package io.ethling.hal.enc28j60;
