"""Check-in at the door: check-ins and refused scans."""
