"""The transcription of seed 001 into content/ (run it as tools/transcribe.py)."""
