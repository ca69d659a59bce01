"""The public pages of organisations: what they are, their official statements, the measures they
carry out and the strategy documents their verified members publish."""
