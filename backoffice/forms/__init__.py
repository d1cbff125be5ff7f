"""Forms by topic. Forms validate shape; business rules live in services."""
