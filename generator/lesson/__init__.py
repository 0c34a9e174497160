"""What a lesson means for its audience: content guidance, support services, wording, and compose."""
