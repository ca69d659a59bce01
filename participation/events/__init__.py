"""Events of the process (workshops, information evenings) and the offline sources input comes from."""
