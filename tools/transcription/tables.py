"""Tables of hand decisions: where the printed report is corrected, kept or read in a way
the script cannot find out by itself (all visible on the errata page where they change the
text), and the parts of model.yaml that the report does not print as such."""
from __future__ import annotations

CATEGORY_LABELS = {
    "ENTERPRISE": "enterprise",
    "ENGINEERING": "engineering",
    "OPERATIONS": "operations",
    "PROCESS MANAGEMENT": "process-management",
}

# Appendix of each category: the printed category label must agree with it.
APPENDIX_CATEGORY = {"A": "enterprise", "B": "engineering", "C": "operations", "D": "process-management"}

# Sub-groups of sections 5.6.1, 5.7.1 and 5.8.1 (Enterprise Management has none).
GROUPS = {
    "RRD": "Requirements Management", "RRM": "Requirements Management",
    "ADM": "Asset Management",
    "SM": "Establishing and Managing Resiliency", "CM": "Establishing and Managing Resiliency",
    "SAM": "Supplier Management", "SRM": "Supplier Management",
    "VM": "Threat and Incident Management", "IMC": "Threat and Incident Management",
    "AMC": "Threat and Incident Management",
    "HRM": "Asset Resiliency Management", "ECFM": "Asset Resiliency Management",
    "KIM": "Asset Resiliency Management", "TM": "Asset Resiliency Management",
    "SOM": "Security Operations Management",
    "MON": "Data Collection and Logging",
    "PM": "Process Management", "MA": "Process Management",
}

# Words of a line-end hyphenation that are real compounds (keep the hyphen).  The
# script also keeps a hyphen by itself when the hyphenated form occurs elsewhere in the
# report and the joined form does not; this table settles the cases it cannot see.
KEEP_HYPHEN: set[str] = {"service-critical", "day-to-day"}

# Blank lines after a sentence-final line that are page breaks, not paragraph ends
# (keyed by the seed line number of the first line after the blank).  A blank line
# after a line that ends a sentence normally ends the paragraph; `--report` lists the
# doubtful cases (a full-width line before the blank), which were checked by hand:
# in the report the last line of a paragraph carries two trailing spaces, a line
# broken by a page break one; only this one is a page break.
CONTINUES_AFTER_BLANK: dict[int, str] = {}
# (5072, the MA introduction's "And, for plans ...", is a paragraph of its own: the report
# prints it apart, and no page footer stands between it and the paragraph before.)

# Misprint corrections.  Each entry: seed line, element id, what, printed, published.
CORRECTIONS = [
    # (line, element, field, printed, published, explanation)
    (3304, "COMM-1.3", "id", "Practice COMP-1.3", "Practice COMM-1.3",
     "The third practice of COMM-1 is printed with the id COMP-1.3, which belongs to "
     "Compliance Management (Appendix A, COMP-1.3) and is not unique."),
    (5206, "MON", "related", "ACM – Access Management and Control",
     "AMC – Access Management and Control",
     "No area ACM exists; Access Management and Control is AMC."),
    (4632, "HRM", "category", "ENTERPRISE", "Operations",
     "HRM is printed in Appendix C (Operations) and listed under Operations in §5.7.1; the category label printed on its page says ENTERPRISE."),
    (4356, "IMC-1", "title", "ESTABLISH INCIDENT MANAGEMENT AND CONTROL PROCESS",
     "Establish Incident Management and Control Process",
     "Printed in capitals like a practice title; every other objective title is in Title Case."),
    (4296, "VM-4.3", "statement", "utilized in other related organizational processes",
     "utilized in other related organizational processes.",
     "The statement has no final period."),
    (5052, "MA", "name", "MA – Measurement and Analysis22", "MA – Measurement and Analysis",
     "Footnote marker 22 glued to the area name; the footnote is kept as a footnote of the "
     "introduction."),
    (1715, "[[operations]] (§5.7.2), supplier cluster", "text", "as shown in Figure 12.17",
     "as shown in Figure 12. (footnote 17)",
     "Footnote marker 17 glued to the figure number; the footnote is kept as a footnote."),
    (3002, "FRM → RISK", "related", "RISK –Risk Management", "RISK – Risk Management",
     "Spacing of the related-competency heading."),
    (4815, "KIM → RISK", "related", "RISK– Risk Management", "RISK – Risk Management",
     "Spacing of the related-competency heading."),
    (4941, "TM → RISK", "related", "RISK– Risk Management", "RISK – Risk Management",
     "Spacing of the related-competency heading."),
    (4213, "VM → MON", "related", "MON - Monitoring", "MON – Monitoring",
     "Hyphen instead of an en dash in the related-competency heading."),
    (4339, "IMC → MON", "related", "MON - Monitoring", "MON – Monitoring",
     "Hyphen instead of an en dash in the related-competency heading."),
    (3662, "ADM → HRM, OTA", "related",
     "HRM – Human Resources Management and OTA – Organizational Training and Awareness",
     "two entries, HRM and OTA, each with the printed note",
     "One heading names two areas; a related entry names one area."),
    (3497, "RRD introduction", "table", "Confidentiality --  -- -- / Integrity -- / Availability (blank cells)",
     "✓ in every cell that is not printed “--”",
     "The check marks of the table were lost in the conversion (the same table is Table 2 "
     "of §3.1.2); only the “--” cells survived. They are restored from the "
     "“--” pattern: confidentiality applies to information only, integrity to information, "
     "technology and facilities, availability to all four asset types (as §2.2 and §3.1.2 state)."),
    (5010, "TM-5", "statement", "The availability of information assets to support key services is managed.",
     "The availability of technology assets to support key services is managed.",
     "Technology Management is about technology assets; the printed statement repeats KIM-4's "
     "wording (information assets), as GG2.GP9's notes repeat an area's (corrected likewise)."),
]

# Statement fixes: (element, printed, published); each is also a row of CORRECTIONS.
STATEMENT_FIXES = {
    "TM-5": ("information assets", "technology assets"),
}

# Survey questions of elements whose printed statement is not their own (a practice whose
# statement is a copy of its neighbour's asks, in the survey, what its title says).
QUESTIONS = {
    "HRM-3.1": "Staff risks are identified and assessed.",
}

# Statements that are printed twice (the second occurrence is probably a copy of a
# neighbour).  Kept as printed because the intended text is not known.
DUPLICATES = [
    ("SAM-3", 4082, "SAM-2", 4074),
    ("SRM-2", 4144, "SRM-1", 4131),
    ("HRM-3.1", 4734, "HRM-3.2", 4738),
]

# Misprints kept as printed (fidelity): (seed line, element, printed, probably meant)
KEPT = [
    (4034, "SAM introduction", "Suppler Relationship Management", "Supplier Relationship Management"),
    (3113, "RISK introduction", "unable to meet is mission", "unable to meet its mission"),
    (4778, "KIM introduction", "the ration of tangible assets", "the ratio of tangible assets"),
    (4919, "TM introduction", "through master of basic IT capabilities", "through mastery of basic IT capabilities"),
    (5079, "MA introduction", "typically view from a practitioner level", "typically viewed from a practitioner level"),
    (4207, "VM related (IMC)", "require organization attention", "require organizational attention"),
    (5208, "MON related (AMC)", "and or changes", "and/or changes"),
    (None, "AMC-1.3", "statement worded as an imperative", "every other statement describes an outcome"),
    (1699, "[[operations]] (§5.7.2)", "two important clusters of related competencies in the Engineering category",
     "… in the Operations category (the section describes the Operations category)"),
]

SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "into", "of", "on", "or", "the", "to", "with",
               "vs."}  # "RISK VS. REWARD" (FRM-5.1) reads "risk vs. reward" in the text
ACRONYMS = {"IT"}

# --------------------------------------------------------------------------------------
# Parts of model.yaml chosen by hand
# --------------------------------------------------------------------------------------

CATEGORY_META = [
    ("enterprise", "Enterprise Management"),
    ("engineering", "Engineering"),
    ("operations", "Operations"),
    ("process-management", "Process Management"),
]

# One-sentence summaries: the opening sentence of each category's description
# (§5.5-5.8), as printed, so that §5.4's list of four names gets a short gloss.
SUMMARY_PATTERNS = {
    "enterprise": r"^The competencies in the Enterprise Management category represent",
    "engineering": r"^The management of operational resiliency is a requirements-driven",  # 2nd sentence
    "operations": r"^The Operations competencies represent the core activities",
    "process-management": r"^Process Management competencies represent those",
}

CLUSTERS = [
    ("asset", "Asset Resiliency Management Cluster", ["ADM", "HRM", "OTA", "KIM", "TM", "ECFM"]),
    ("protect-sustain", "Protect and Sustain Cluster", ["CM", "SM"]),
    ("supplier", "Supplier Management Cluster", ["SAM", "SRM"]),
    ("vulnerability-incident-risk", "Vulnerability, Incident, and Risk Cluster", ["VM", "RISK", "IMC", "MON"]),
    ("monitoring", "Monitoring Cluster", ["MON"]),
]

# The figures of the clusters (10-14), which the text seed does not hold: drawn from the
# relations the text around each figure states, nothing more. cluster id -> (figure number,
# nodes that are no area as (id, label), relations as (from, to, label, directed)).
FIGURES = {
    # §5.6.2: assets are identified and managed in ADM; people in HRM and OTA, information
    # in KIM, technology in TM, facilities in ECFM.
    "asset": (10, [], [("ADM", "HRM", "people", True), ("ADM", "OTA", "people", True),
                       ("ADM", "KIM", "information", True), ("ADM", "TM", "technology", True),
                       ("ADM", "ECFM", "facilities", True)]),
    # §5.6.3: the coordination between Controls Management and Sustainability Management.
    "protect-sustain": (11, [], [("CM", "SM", "coordination", False)]),
    # §5.7.2: SAM, where agreements and relationships (with suppliers) are established; SRM,
    # where performance against requirements is managed.
    "supplier": (12, [("suppliers", "Suppliers")],
                 [("SAM", "suppliers", "agreements established", True),
                  ("SRM", "suppliers", "performance managed", True)]),
    # §5.7.2: MON looks for data that might indicate a potential event, incident,
    # vulnerability, threat, or risk (which area takes up a threat the text does not say).
    "vulnerability-incident-risk": (13, [], [("MON", "VM", "potential vulnerability", True),
                                             ("MON", "IMC", "potential event or incident", True),
                                             ("MON", "RISK", "potential risk", True)]),
    # §5.8.2: MON provides data to feed threat and risk management, for managing operational
    # resiliency and for improving the resiliency engineering process, and is of potential
    # benefit to many other organizational processes.
    "monitoring": (14, [("threat-risk", "Threat and risk management"),
                        ("resiliency", "Managing operational resiliency"),
                        ("improvement", "Improving the resiliency engineering process"),
                        ("other", "Many other organizational processes")],
                   [("MON", "threat-risk", "data", True), ("MON", "resiliency", "data", True),
                    ("MON", "improvement", "data", True), ("MON", "other", "potential benefit", True)]),
}

SCALE = [
    (0, "Not performed", "The practice is not performed, or so little of it that its statement is not met."),
    (1, "Partially performed", "Some of what the practice states is done, but not consistently or not for the assets and services in scope."),
    (2, "Largely performed", "The practice is performed for most of the assets and services in scope, with minor gaps."),
    (3, "Fully performed", "The practice is performed as stated, consistently, for all the assets and services in scope."),
]
