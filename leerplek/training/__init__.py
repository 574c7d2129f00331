"""On-the-job programmes, work instructions, teaching and sign-offs, tests and certificates (#6)."""
