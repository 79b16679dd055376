"""The application: settings, jobs, command logic, rendering, Telegram and console front ends."""
