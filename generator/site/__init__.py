"""The site model: releases collected into a site, related, tallied, and planned into pages."""
