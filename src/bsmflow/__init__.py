"""Physics, card and I/O logic of the BSM Monte Carlo workflow (leptoquark scan by default).

Bump ``__version__`` whenever a change alters physics output: the workflow passes it to every
job through ``params:``, so a new version reruns what it affects.
"""

__version__ = "0.1.0"
