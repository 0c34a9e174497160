"""What a lesson means for its audience: content guidance, support services, wording, reading ages, and compose."""
