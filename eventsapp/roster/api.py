from flask_smorest import Blueprint

blp = Blueprint("roster_api", __name__, url_prefix="/api/v1", description="申込者")
