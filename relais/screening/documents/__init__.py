"""Documents built from screenings, in memory only: the patient's receipt, exports (CSV, PDF).

Renderers of read shapes (`ScreeningView`): they query nothing; the audited services of
`relais.screening.services.documents` decide what goes in.
"""
