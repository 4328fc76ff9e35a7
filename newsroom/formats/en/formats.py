# The English edition is read abroad: its times name their zone.
DATETIME_FORMAT = "N j, Y, P T"
