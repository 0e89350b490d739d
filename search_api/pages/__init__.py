"""Student pages: server-rendered Jinja2 templates with a little progressive-enhancement JS."""
