package io.ethling.hal.emulator;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;

final class CounterSetText {
    static String of(Counters c) {
        return CounterSet.appendTo(c, new StringBuilder(), "").toString().replace('\n', ' ');
    }
}
