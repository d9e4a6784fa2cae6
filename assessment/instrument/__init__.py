"""The PEKPPP instrument: aspects, indicators and their level ladders, as data.

Pure domain code: nothing here imports Flask, so it is tested and used alone
(the scoring module and the ``flask score`` command build on it).
"""
from .loader import (
    DEFAULT_INSTRUMENT_PATH,
    Aspect,
    Indicator,
    Instrument,
    InstrumentError,
    load_default_instrument,
    load_instrument_file,
    parse_instrument,
)

__all__ = [
    "DEFAULT_INSTRUMENT_PATH",
    "Aspect",
    "Indicator",
    "Instrument",
    "InstrumentError",
    "load_default_instrument",
    "load_instrument_file",
    "parse_instrument",
]
