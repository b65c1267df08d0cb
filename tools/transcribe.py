#!/usr/bin/env python3
"""Transcribe the CERT Resiliency Engineering Framework (CMU/SEI-2007-TR-009) into
refbook's source format.

Reads the plain-text conversion of the report (shared seed 001) and writes

    content/areas/<CODE>.md          24 competency areas (appendices A-D)
    content/categories/<id>.md       4 category descriptions (sections 5.5-5.8)
    content/model.yaml               identity, notice, categories, clusters, survey, levels
    content/pages/errata.md          every correction made to the printed text

Usage:  python3 tools/transcribe.py [--seeds DIR] [--out CONTENT_DIR] [--report]

The conversion undoes the artefacts of the PDF-to-text conversion only (line-end
hyphenation, mojibake quotes, page furniture, lost bullets, footnote digits glued to
words, blank lines inside sentences).  Misprints of the report itself are corrected
only where the table CORRECTIONS of transcription/tables.py says so, and every one of
them is listed on the errata page; everything else is kept as printed.  Needs Python
3.11 and PyYAML.

The work is done by the package transcription/ beside this file, one module per concern:
tables (the hand decisions), seedtext (reading and joining the seed's lines), areas
(appendices A-D), categories (sections 5.5-5.8), model (model.yaml), yamltext (YAML
writing), errata (the errata page) and cli (the command line).
"""
from transcription.cli import main

if __name__ == "__main__":
    main(description=__doc__.split("\n\n")[0])
