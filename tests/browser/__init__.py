"""Tests in a real browser: headless Chromium driven by Selenium, checked with axe-core."""
