"""The PEKPPP instrument: aspects, indicators, their level ladders and F-01 facts, as data.

Pure domain code: nothing here imports Flask, so it is tested and used alone
(the scoring module and the ``flask score`` command build on it).
"""
from .errors import InstrumentError
from .facts import Fact, FactKind, Option, Ticks
from .loader import (
    BOTH,
    BUNDLED_INSTRUMENT_PATHS,
    DARING,
    DEFAULT_INSTRUMENT_PATH,
    LATEST_INSTRUMENT_PATH,
    LURING,
    Aspect,
    Indicator,
    Instrument,
    Variant,
    load_default_instrument,
    load_instrument_file,
    parse_instrument,
)
from .rules import Rule

__all__ = [
    "BOTH",
    "BUNDLED_INSTRUMENT_PATHS",
    "DARING",
    "DEFAULT_INSTRUMENT_PATH",
    "LATEST_INSTRUMENT_PATH",
    "LURING",
    "Aspect",
    "Fact",
    "FactKind",
    "Indicator",
    "Instrument",
    "InstrumentError",
    "Option",
    "Rule",
    "Ticks",
    "Variant",
    "load_default_instrument",
    "load_instrument_file",
    "parse_instrument",
]
