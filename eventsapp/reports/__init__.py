"""Reports: the programme's indicators computed in SQL, summaries and yearly reports."""
