#!/usr/bin/env python3
"""Draws the wiring diagrams (SVG) of every board directory. Run from anywhere: python3 boards/diagrams.py

The 40-pin header is the same on the Pi 3B+, 4B, 5 and Zero 2 W, so one drawing per LCD type is
made and written into each board's directory with the board's title. Pin facts: PLATFORM.md §2.3
(ENC28J60 on SPI0), §3.2 (PCF8574 backpack), §3.3 (MCP23017 plate); pinout.xyz for the header.
"""
import os
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))

# BCM GPIO or power per physical pin of the 40-pin header.
HEADER = {
    1: "3V3", 2: "5V", 3: "GPIO2 SDA1", 4: "5V", 5: "GPIO3 SCL1", 6: "GND", 7: "GPIO4", 8: "GPIO14 TXD",
    9: "GND", 10: "GPIO15 RXD", 11: "GPIO17", 12: "GPIO18", 13: "GPIO27", 14: "GND", 15: "GPIO22",
    16: "GPIO23", 17: "3V3", 18: "GPIO24", 19: "GPIO10 MOSI", 20: "GND", 21: "GPIO9 MISO",
    22: "GPIO25", 23: "GPIO11 SCLK", 24: "GPIO8 CE0", 25: "GND", 26: "GPIO7 CE1", 27: "ID_SD",
    28: "ID_SC", 29: "GPIO5", 30: "GND", 31: "GPIO6", 32: "GPIO12", 33: "GPIO13", 34: "GND",
    35: "GPIO19", 36: "GPIO16", 37: "GPIO26", 38: "GPIO20", 39: "GND", 40: "GPIO21",
}

# ENC28J60 module pin -> header pin (PLATFORM.md §2.3). VCC from 3V3 pin 17 (see the README's power notes).
ENC = [("SI", 19), ("SO", 21), ("SCK", 23), ("CS", 24), ("INT", 22), ("RESET", 18), ("VCC 3.3V", 17), ("GND", 20)]
# PCF8574 backpack -> header (PLATFORM.md §3.2): powered from 5 V, SDA/SCL on I2C1.
PCF = [("GND", 6), ("VCC 5V", 4), ("SDA", 3), ("SCL", 5)]
# Buttons beside the PCF8574 display: to ground, internal pull-ups (boards/README.md).
BUTTONS = [("UP", 29), ("DOWN", 31), ("LEFT", 33), ("RIGHT", 35), ("SELECT", 37), ("common GND", 39)]

PIN_Y0, PIN_DY, X_ODD, X_EVEN = 90, 24, 430, 460
COLOURS = {"SI": "#1f77b4", "SO": "#2ca02c", "SCK": "#9467bd", "CS": "#ff7f0e", "INT": "#d62728",
           "RESET": "#8c564b", "VCC 3.3V": "#e377c2", "GND": "#333333", "VCC 5V": "#e31a1c",
           "SDA": "#17becf", "SCL": "#bcbd22", "common GND": "#333333"}


def pin_xy(pin):
    row = (pin - 1) // 2
    return (X_ODD if pin % 2 else X_EVEN), PIN_Y0 + row * PIN_DY


def header(svg, used, covered=(), under=()):
    svg.append(f'<rect x="{X_ODD - 16}" y="{PIN_Y0 - 16}" width="{X_EVEN - X_ODD + 32}" height="{20 * PIN_DY + 8}" rx="4" fill="#20232a"/>')
    svg.append(f'<text x="{(X_ODD + X_EVEN) / 2}" y="{PIN_Y0 - 24}" text-anchor="middle" font-weight="bold">40-pin header</text>')
    svg.extend(under)  # the wires: above the header's body, below its pins and labels
    for pin in range(1, 41):
        x, y = pin_xy(pin)
        fill = "#ffd700" if pin in used else ("#777" if pin in covered else "#bbb")
        svg.append(f'<circle cx="{x}" cy="{y}" r="7" fill="{fill}" stroke="#000"/>')
        svg.append(f'<text x="{x}" y="{y + 3}" text-anchor="middle" font-size="8">{pin}</text>')
        label = HEADER[pin]
        if pin % 2:
            svg.append(f'<text x="{x - 20}" y="{y + 4}" text-anchor="end" font-size="10" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">{label}</text>')
        else:
            svg.append(f'<text x="{x + 20}" y="{y + 4}" font-size="10" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">{label}</text>')


def module(svg, x, y, w, title, pins, side):
    h = 30 + len(pins) * 22
    svg.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="#e8f0fe" stroke="#1a3d7c" stroke-width="2"/>')
    svg.append(f'<text x="{x + w / 2}" y="{y + 18}" text-anchor="middle" font-weight="bold">{escape(title)}</text>')
    ends = []
    for i, (name, pin) in enumerate(pins):
        py = y + 38 + i * 22
        px = x + w if side == "right" else x
        anchor = "end" if side == "right" else "start"
        tx = px - 8 if side == "right" else px + 8
        svg.append(f'<text x="{tx}" y="{py + 4}" text-anchor="{anchor}" font-size="11">{escape(name)}</text>')
        svg.append(f'<circle cx="{px}" cy="{py}" r="3" fill="#1a3d7c"/>')
        ends.append((name, pin, px, py))
    return ends


def wires(svg, ends, label_side, lane0):
    """Odd pins are reached from the left, even pins from the right, directly; a wire to a pin in
    the far column runs through the gap above the pin's row and drops onto it, so it crosses no pin."""
    for i, (name, pin, px, py) in enumerate(ends):
        hx, hy = pin_xy(pin)
        colour = COLOURS.get(name, "#555")
        near = (pin % 2 == 1) == (label_side == "left")
        lane = lane0 + i * 9 if label_side == "left" else lane0 - i * 9
        if near:
            stop = hx - 9 if label_side == "left" else hx + 9
            points = f"{px},{py} {lane},{py} {lane},{hy} {stop},{hy}"
        else:
            gap = hy - PIN_DY // 2
            points = f"{px},{py} {lane},{py} {lane},{gap} {hx},{gap} {hx},{hy - 9}"
        svg.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        if label_side == "left":
            svg.append(f'<text x="{px + 6}" y="{py - 4}" font-size="9" fill="{colour}">pin {pin}</text>')
        else:
            svg.append(f'<text x="{px - 6}" y="{py - 4}" text-anchor="end" font-size="9" fill="{colour}">pin {pin}</text>')


def board_svg(title, lcd):
    svg = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" width="980" height="640" viewBox="0 0 980 640" font-family="sans-serif" font-size="12">',
           '<rect width="980" height="640" fill="#ffffff"/>',
           f'<text x="20" y="28" font-size="17" font-weight="bold">{escape(title)}: ENC28J60 on SPI0 CE0 + {"PCF8574 LCD backpack" if lcd == "pcf8574" else "Adafruit RGB LCD plate (MCP23017)"}</text>']
    used = {p for _, p in ENC}
    covered = ()
    if lcd == "pcf8574":
        used |= {p for _, p in PCF} | {p for _, p in BUTTONS}
    else:
        covered = tuple(range(1, 27))
        used |= {1, 2, 3, 4, 5, 6}  # the plate's electrical connections (power, I2C1)
    w = []
    ends = module(svg, 30, 70, 150, "ENC28J60 module", ENC, "right")
    wires(w, ends, "left", 250)
    if lcd == "pcf8574":
        ends = module(svg, 770, 70, 180, "PCF8574 backpack (0x27/0x3F)", PCF, "left")
        wires(w, ends, "right", 720)
        svg.append('<rect x="770" y="200" width="180" height="70" rx="4" fill="#3b6e2e"/>')
        svg.append('<rect x="782" y="212" width="156" height="46" fill="#9bd36b" stroke="#000"/>')
        svg.append('<text x="860" y="232" text-anchor="middle" font-family="monospace" font-size="13">HD44780 16x2</text>')
        svg.append('<text x="860" y="250" text-anchor="middle" font-family="monospace" font-size="13">Example Domain</text>')
        ends = module(svg, 30, 380, 150, "Buttons (to GND)", BUTTONS, "right")
        wires(w, ends, "left", 250)
        notes = ["I2C: the PCF8574 runs at 100 kHz only (Pi default).",
                 "5 V backpacks pull SDA/SCL to 5 V: remove their pull-ups,",
                 "or power the backpack at 3.3 V, or use a level shifter.",
                 "Buttons: internal pull-ups, pressed = low, 20 ms debounce."]
    else:
        x0, y0 = pin_xy(1)
        x1, y1 = pin_xy(26)
        overlay = [f'<rect x="{x0 - 14}" y="{y0 - 14}" width="{x1 - x0 + 28}" height="{y1 - y0 + 28}" fill="#7fb3ff" fill-opacity="0.30" stroke="#1a3d7c" stroke-dasharray="6,3" stroke-width="2"/>',
                   f'<text x="{x1 + 90}" y="{y0 + 4}" font-size="11" fill="#1a3d7c">the plate covers pins 1-26 (dashed)</text>']
        svg.append('<rect x="720" y="330" width="240" height="180" rx="8" fill="#1a3d7c"/>')
        svg.append('<rect x="735" y="345" width="210" height="60" fill="#7fd0ff" stroke="#000"/>')
        svg.append('<text x="840" y="370" text-anchor="middle" font-family="monospace" font-size="14">RGB 16x2 plate</text>')
        svg.append('<text x="840" y="392" text-anchor="middle" font-family="monospace" font-size="14">MCP23017 @0x20</text>')
        for name, cx, cy in [("UP", 800, 430), ("LEFT", 770, 455), ("RIGHT", 830, 455), ("DOWN", 800, 480), ("SELECT", 900, 455)]:
            svg.append(f'<circle cx="{cx}" cy="{cy}" r="10" fill="#ddd" stroke="#000"/>')
            svg.append(f'<text x="{cx}" y="{cy + 24 if name != "UP" else cy - 14}" text-anchor="middle" font-size="9" fill="#fff">{name}</text>')
        notes = ["The plate uses only 3V3, 5V, GND and I2C1 (pins 1-6);",
                 "its buttons and RGB backlight are on the MCP23017.",
                 "It sits on pins 1-26: reach SPI0 (pins 17-24)",
                 "through a stacking header or a GPIO extender and",
                 "solder/plug the ENC28J60 wires to its pass-through pins.",
                 "Buttons are read over I2C every 20 ms (no INT line)."]
    notes += ["ENC28J60: 3.3 V only, 160-180 mA (200 mA peaks when sending):",
              "prefer a module with its own regulator fed from 5 V (pin 2/4)",
              "or a separate 3.3 V supply with a common ground."]
    header(svg, used, covered, w)
    if lcd != "pcf8574":
        svg.extend(overlay)
    for i, line in enumerate(notes):
        svg.append(f'<text x="600" y="{{y}}" font-size="11">{escape(line)}</text>'.replace("{y}", str((300 if lcd == "pcf8574" else 130) + i * 16)))
    svg.append('</svg>')
    return "\n".join(svg) + "\n"


def emulated_svg():
    boxes = [(30, 90, "firmware (io.ethling.firmware)", "the app, the loop"),
             (30, 200, "ENC28J60 driver", "hal/enc28j60"),
             (30, 310, "Enc28j60Emulator", "SpiDevice, INT pin"),
             (30, 420, "VirtualWire / TapDevice", "user-mode network or --tap"),
             (520, 200, "Hd44780 + Mcp23017Plate", "hal/lcd"),
             (520, 310, "Mcp23017LcdEmulator", "I2cDevice at 0x20, 16x2 grid, 5 buttons"),
             (520, 420, "terminal / web page", "LCD drawn, arrow keys + Enter")]
    svg = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="520" viewBox="0 0 900 520" font-family="sans-serif" font-size="12">',
           '<rect width="900" height="520" fill="#ffffff"/>',
           '<text x="20" y="30" font-size="17" font-weight="bold">Emulated board: the same firmware, emulated chip and LCD</text>']
    for x, y, title, sub in boxes:
        svg.append(f'<rect x="{x}" y="{y}" width="340" height="60" rx="8" fill="#e8f0fe" stroke="#1a3d7c" stroke-width="2"/>')
        svg.append(f'<text x="{x + 170}" y="{y + 25}" text-anchor="middle" font-weight="bold">{escape(title)}</text>')
        svg.append(f'<text x="{x + 170}" y="{y + 45}" text-anchor="middle" font-size="11">{escape(sub)}</text>')
    arrows = [(200, 150, 200, 200, "EthernetDevice"), (200, 260, 200, 310, "SpiDevice transfers (virtual SPI0 CE0)"),
              (200, 370, 200, 420, "frames"), (370, 120, 690, 200, "CharacterDisplay, Buttons"),
              (690, 260, 690, 310, "I2cDevice writes (virtual i2c-1)"), (690, 370, 690, 420, "grid, key presses")]
    svg.append('<defs><marker id="a" markerWidth="10" markerHeight="10" refX="9" refY="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>')
    for x1, y1, x2, y2, label in arrows:
        svg.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#333" stroke-width="2" marker-end="url(#a)"/>')
        svg.append(f'<text x="{(x1 + x2) / 2 + 8}" y="{(y1 + y2) / 2 + 4}" font-size="10" fill="#333">{escape(label)}</text>')
    svg.append('<text x="20" y="505" font-size="11">Time comes from a virtual clock in tests; the SPI and I2C "wires" are method calls.</text>')
    svg.append('</svg>')
    return "\n".join(svg) + "\n"


BOARDS = {"pi3bplus": "Raspberry Pi 3 Model B+", "pi4b": "Raspberry Pi 4 Model B",
          "pi5": "Raspberry Pi 5", "pizero2w": "Raspberry Pi Zero 2 W"}

if __name__ == "__main__":
    for d, title in BOARDS.items():
        os.makedirs(os.path.join(HERE, d), exist_ok=True)
        for lcd in ("pcf8574", "mcp23017-plate"):
            with open(os.path.join(HERE, d, f"wiring-{lcd}.svg"), "w") as f:
                f.write(board_svg(title, lcd))
    os.makedirs(os.path.join(HERE, "emulated"), exist_ok=True)
    with open(os.path.join(HERE, "emulated", "emulated.svg"), "w") as f:
        f.write(emulated_svg())
