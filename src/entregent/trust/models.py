"""Fake-profile protection: reports, moderation decisions and restrictions."""
