# Korean writes 오전/오후 before the time: "2026년 3월 5일 오전 4:27".
DATETIME_FORMAT = "Y년 n월 j일 A g:i"
