"""Meetings on the record: bodies, notice, quorum, motions, votes and minutes.

The rules that decide a meeting's figures are pure Python here, free of Django, so the web
app, the command line and the tests share them: ``notice`` (deadlines from a body's notice
period, in the meeting's own time zone), ``quorum`` (a number, a fraction of those entitled,
or both), ``majority`` (majority rules as data; show-of-hands and weighted card votes, exact)
and ``requisition`` (when members or branches can oblige the secretary to call a meeting).
"""
