"""The exact oracle: SPEC.md computed with `fractions.Fraction`, the only source of expected values.

It shares no code with any backend under test. Values are held as Python floats (binary64 holds every
binary32 value exactly); every arithmetic step is done exactly on Fractions and rounded by
`ieee.round_exact`, so the oracle does not depend on the host's floating-point unit.
"""
