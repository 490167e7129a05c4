"""Error pages in Vietnamese: a whole page, or a toast-sized fragment for htmx requests."""
from flask import make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from thiduaweb.core.render import add_toast, wants_fragment

MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Yêu cầu gửi lên không đúng. Vui lòng kiểm tra và thử lại."),
    403: ("Không có quyền", "Tài khoản của bạn không có quyền thực hiện thao tác này."),
    404: ("Không tìm thấy", "Trang hoặc hồ sơ bạn tìm không tồn tại, hoặc bạn không có quyền xem."),
    405: ("Thao tác không được hỗ trợ", "Thao tác này không được hỗ trợ tại địa chỉ này."),
    413: ("Tệp quá lớn", "Tệp gửi lên vượt quá dung lượng cho phép."),
    422: ("Dữ liệu chưa hợp lệ", "Vui lòng sửa các ô được đánh dấu rồi gửi lại."),
    429: ("Quá nhiều yêu cầu", "Bạn đã thử quá nhiều lần. Vui lòng đợi một phút rồi thử lại."),
    500: ("Lỗi hệ thống", "Đã có lỗi xảy ra. Dữ liệu bạn đã lưu trước đó không bị ảnh hưởng; vui lòng thử lại."),
}
CSRF_MESSAGE = ("Phiên làm việc đã hết hạn",
                "Trang đã mở quá lâu hoặc phiên đăng nhập đã thay đổi. Hãy quay lại, tải lại trang và gửi lại.")


def _respond(status: int, title: str, message: str):
    if wants_fragment():
        # htmx does not swap error answers (except 422): the user's form stays as it was.
        response = make_response(render_template("errors/_error.html", title=title, message=message), status)
        return add_toast(response, message, "danger")
    return render_template("errors/error.html", status=status, title=title, message=message,
                           back_url=request.referrer), status


def handle_http_error(error: HTTPException):
    title, message = MESSAGES.get(error.code or 500, MESSAGES[500])
    return _respond(error.code or 500, title, message)


def handle_csrf_error(error: CSRFError):
    return _respond(400, *CSRF_MESSAGE)


def handle_rules_error(error):
    """No regulation in force for the date a page needs (the catalogue was never loaded, or a date
    before the first version): say so, and what the administrator loads, instead of a system error."""
    return _respond(409, "Chưa có quy định thi đua, khen thưởng áp dụng",
                    f"{error} Quản trị viên cần nạp danh mục quy định (lệnh: flask --app app awards "
                    "load-catalogue) rồi thử lại.")


def handle_unexpected(error: Exception):
    from flask import current_app

    from thiduaweb.extensions import db

    db.session.rollback()
    current_app.logger.exception("Unhandled error")
    return _respond(500, *MESSAGES[500])


def register(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    from thiduaweb.awards.rules import RulesError

    app.register_error_handler(RulesError, handle_rules_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
