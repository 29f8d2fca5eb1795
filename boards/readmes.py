#!/usr/bin/env python3
"""Writes the README.md of each Raspberry Pi board directory from one template (the wiring is the
same on every 40-pin board; the notes differ). Run: python3 boards/readmes.py"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

NOTES = {
    "pi3bplus": ("Raspberry Pi 3 Model B+", [
        "SPI clock = core clock ÷ an even divisor, never faster than asked (PLATFORM.md §1.3); the "
        "firmware changes the core clock under load, which can slow SPI. Pin it with `core_freq=250` "
        "in `/boot/firmware/config.txt`.",
        "Use the 64-bit Raspberry Pi OS (PLATFORM.md §2.7).",
    ]),
    "pi4b": ("Raspberry Pi 4 Model B", [
        "SPI clock = core clock ÷ an even divisor, never faster than asked (PLATFORM.md §1.3). The Pi 4 "
        "has been seen running SPI at about half speed when the core clock drops: pin it with "
        "`core_freq_min` equal to `core_freq`, or `force_turbo=1`.",
        "Use the 64-bit Raspberry Pi OS (PLATFORM.md §2.7).",
    ]),
    "pi5": ("Raspberry Pi 5", [
        "The header I/O is on the RP1 chip (`pinctrl-rp1`); on current kernels it is gpiochip0 "
        "(early kernels: gpiochip4, still symlinked). Pi4J's gpiod plugin finds it by label, so the "
        "board file uses plain BCM numbers as on every other Pi (PLATFORM.md §2.5).",
        "SPI0 is still `/dev/spidev0.0` with `dtparam=spi=on`. RP1's divider is even; its SPI clock "
        "does not follow the VPU core clock, so no `core_freq` pinning is needed.",
        "Known RP1 chip-select issue (raspberrypi/linux #6354): if ENC28J60 reads look wrong, check CS "
        "on a logic analyser, or use `dtoverlay=spi0-1cs` (GPIO chip select).",
        "Avoid sysfs GPIO numbers (offset by 512+ on recent kernels); gpiod uses BCM numbers.",
    ]),
    "pizero2w": ("Raspberry Pi Zero 2 W", [
        "The same 40-pin header as the larger boards, with the same BCM numbers and SPI0/I2C1 pins. "
        "On a Zero 2 W without a soldered header, solder one (or use the WH variant) first.",
        "It has no Ethernet of its own: the ENC28J60 is its wired interface.",
        "512 MB of RAM: Ethling's stack retains about 120 KB and allocates nothing in the steady state, "
        "but keep the JVM heap small (for example `-Xmx64m`).",
        "Use the 64-bit Raspberry Pi OS (PLATFORM.md §2.7).",
    ]),
}

TEMPLATE = """# {title}

Board files for a {title} with an ENC28J60 Ethernet module on SPI0 CE0, INT on GPIO25 and
RESET on GPIO24 (optional), and one of two character LCDs:

| file | LCD | buttons | diagram |
|---|---|---|---|
| [`pcf8574.properties`](pcf8574.properties) | HD44780 16×2 on a PCF8574 I2C backpack (0x27, or 0x3F for the PCF8574A) | five push buttons on GPIO 5, 6, 13, 19, 26 | [wiring-pcf8574.svg](wiring-pcf8574.svg) |
| [`mcp23017-plate.properties`](mcp23017-plate.properties) | Adafruit RGB 16×2 LCD plate (MCP23017 at 0x20) | the plate's five buttons | [wiring-mcp23017-plate.svg](wiring-mcp23017-plate.svg) |

Pick the file for your display and give it to the firmware (the package installs it as the
default board file; the key meanings are in [../README.md](../README.md)). If your RESET line is
not wired, delete the `enc28j60.reset.gpio` line.

## ENC28J60 wiring (SPI0, PLATFORM.md §2.3)

| ENC28J60 module pin | Pi header pin | BCM GPIO | notes |
|---|---|---|---|
| SI (MOSI) | 19 | GPIO10 | SPI0_MOSI |
| SO (MISO) | 21 | GPIO9 | SPI0_MISO |
| SCK | 23 | GPIO11 | SPI0_SCLK |
| CS | 24 | GPIO8 | SPI0_CE0_N → `/dev/spidev0.0` (`spi.bus = 0`, `spi.cs = 0`) |
| INT | 22 | GPIO25 | active low (`enc28j60.int.gpio = 25`); the pin the kernel overlay would use |
| RESET (optional) | 18 | GPIO24 | active low (`enc28j60.reset.gpio = 24`) |
| VCC | 17 (3V3), **or** a separate 3.3 V supply | — | see Power |
| GND | 20 (or 6, 9, 14, 25 …) | — | common ground |

The ENC28J60 runs at 3.3 V and its SO and INT outputs are 3.3 V, safe for the Pi. It has no MAC
address of its own: the firmware derives a locally administered one from the Pi's serial number
unless the board file sets `mac`. SPI clock: 12 MHz (`spi.clock.hz`); never below 8 MHz
(ENC28J60 errata #1), never above 20 MHz.

## LCD wiring

### PCF8574 backpack ([wiring-pcf8574.svg](wiring-pcf8574.svg))

| backpack pin | Pi header pin | BCM GPIO | notes |
|---|---|---|---|
| GND | 6 | — | |
| VCC | 4 (5 V) or 1 (3.3 V) | — | see the voltage caution below |
| SDA | 3 | GPIO2 | I2C1 SDA (`lcd.i2c.bus = 1`) |
| SCL | 5 | GPIO3 | I2C1 SCL |

| button (to GND) | Pi header pin | BCM GPIO | board-file key |
|---|---|---|---|
| UP | 29 | GPIO5 | `buttons.up.gpio` |
| DOWN | 31 | GPIO6 | `buttons.down.gpio` |
| LEFT | 33 | GPIO13 | `buttons.left.gpio` |
| RIGHT | 35 | GPIO19 | `buttons.right.gpio` |
| SELECT | 37 | GPIO26 | `buttons.select.gpio` |
| common | 39 | GND | |

Each button connects its GPIO to ground; the internal pull-up holds it high (`buttons.pull = up`,
`buttons.active = low`), and a press is debounced for 20 ms.

* The PCF8574 supports 100 kHz only, the Pi's `i2c_arm` default: do not raise `i2c_arm_baudrate`.
* **Voltage caution.** Most backpacks pull SDA and SCL up to their own VCC with 4.7–10 kΩ. Powered
  at 5 V, that drives the Pi's 3.3-V-only GPIO2/3 above 3.3 V. Power the backpack at 3.3 V (adjust
  the contrast pot; some 5 V LCDs are faint), remove its pull-ups, or use a level shifter
  (PLATFORM.md §3.2).
* Find the address with `i2cdetect -y 1` (27 or 3f) and set `lcd.i2c.address`.

### Adafruit RGB LCD plate ([wiring-mcp23017-plate.svg](wiring-mcp23017-plate.svg))

The plate plugs onto header pins 1–26 and uses only 3V3, 5V, GND and I2C1 (GPIO2/3). Its five
buttons and RGB backlight are on the MCP23017, read and driven over I2C (the buttons are polled
every 20 ms, `buttons.poll.ms`). The plate covers the SPI0 pins physically: fit a stacking header
(or a GPIO extender) and take the ENC28J60 wires from the pass-through pins, as in the table above.
`i2cdetect -y 1` shows `20`.

## Power (PLATFORM.md §2.4)

* The ENC28J60 needs 3.1–3.6 V and draws 160 mA typically, 180 mA at most, and more than 200 mA in
  peaks while transmitting. A weak supply shows as nonsense over SPI or a hung chip.
* Best: a module with its own 3.3 V regulator fed from 5 V (pin 2 or 4), or a separate 3.3 V
  regulator with a common ground. If you use the Pi's 3V3 pin, keep other loads off it.
* GPIO signal current is limited to 16 mA per pin and about 50 mA in total.

## Raspberry Pi OS setup (PLATFORM.md §2.1, §2.2, §2.6)

```sh
sudo raspi-config nonint do_spi 0      # dtparam=spi=on  -> /dev/spidev0.0
sudo raspi-config nonint do_i2c 0      # dtparam=i2c_arm=on -> /dev/i2c-1
```

* Do **not** load the kernel's own driver: no `dtoverlay=enc28j60` in `/boot/firmware/config.txt`
  (it claims SPI0 CE0 and removes `/dev/spidev0.0`); `lsmod | grep enc28j60` must be empty; add
  `blacklist enc28j60` in `/etc/modprobe.d/` to be sure. `ethling doctor` checks all of this.
* The service user needs the groups `spi`, `gpio` and `i2c`.

## Notes for the {title}

{notes}
"""

for d, (title, notes) in NOTES.items():
    with open(os.path.join(HERE, d, "README.md"), "w") as f:
        f.write(TEMPLATE.format(title=title, notes="\n".join("* " + n for n in notes)))
