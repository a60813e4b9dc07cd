def seed(ctx): pass
