"""atd-kg: the command line and configuration shared by every stage."""
