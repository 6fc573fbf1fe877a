"""`zjeval review`: the finance bureau's and the reviewer's side (../shared/DOMAIN.md §9).

A batch of submissions (answers files and the units' own documents) is loaded (batch.py),
each unit's figures understood once (facts.py), the profile's rules run over them (rules.py
for the table, prose.py for the text against the table, copies.py across units and years),
the 复核得分 recomputed (rescore.py) and the result written as one workbook (workbook.py) or
shown on the terminal (present.py). Everything but batch loading and writing is pure.
"""
