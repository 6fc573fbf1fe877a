"""A unit's projects, many a year: one answers file per project in a folder of the year."""
