"""Registration, email confirmation, login and logout, password reset."""
