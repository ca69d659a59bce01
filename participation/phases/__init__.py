"""The phases of the process and which actions each opens."""
