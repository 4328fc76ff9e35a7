# A space between the date and the time: "2026年3月5日 4:27".
DATETIME_FORMAT = "Y年n月j日 G:i"
