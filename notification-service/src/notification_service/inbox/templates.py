"""Personal messages in Vietnamese and English, chosen by the account's language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    title: str
    body: str


TEMPLATES: dict[str, dict[str, Template]] = {
    "welcome": {
        "vi": Template(
            "Chào mừng đến với Hue-S", "Xin chào {display_name}! Tài khoản Hue-S của bạn đã được tạo."
        ),
        "en": Template("Welcome to Hue-S", "Hello {display_name}! Your Hue-S account has been created."),
    },
    "password-expiring": {
        "vi": Template(
            "Mật khẩu sắp hết hạn",
            "Mật khẩu của bạn sẽ hết hạn sau {days_left} ngày (ngày {local_day}). Vui lòng đổi mật khẩu.",
        ),
        "en": Template(
            "Your password expires soon",
            "Your password expires in {days_left} days (on {local_day}). Please change it.",
        ),
    },
    "account-locked": {
        "vi": Template(
            "Tài khoản bị khóa",
            "Tài khoản của bạn đã bị khóa{until}. Nếu không phải bạn yêu cầu, hãy liên hệ Sở TT&TT.",
        ),
        "en": Template(
            "Account locked",
            "Your account was locked{until}. If this was not expected, contact the DIC.",
        ),
    },
    # Feedback: the reporter (and followers) of a report, on the status changes a citizen cares about
    # (docs/notification.md says which and why). `title` is the report's public title, never its text.
    "report-accepted": {
        "vi": Template("Phản ánh đã được tiếp nhận", 'Phản ánh "{title}" của bạn đã được tiếp nhận xử lý.'),
        "en": Template("Report accepted", 'Your report "{title}" was accepted for handling.'),
    },
    "report-rejected": {
        "vi": Template(
            "Phản ánh không được tiếp nhận",
            'Phản ánh "{title}" của bạn không được tiếp nhận. Lý do: {reason}',
        ),
        "en": Template("Report rejected", 'Your report "{title}" was not accepted. Reason: {reason}'),
    },
    "report-assigned": {
        "vi": Template(
            "Phản ánh đã được chuyển xử lý", 'Phản ánh "{title}" của bạn đã được chuyển đến {unit_name}.'
        ),
        "en": Template("Report assigned", 'Your report "{title}" was assigned to {unit_name}.'),
    },
    "report-in-progress": {
        "vi": Template("Phản ánh đang được xử lý", 'Phản ánh "{title}" của bạn đang được xử lý.'),
        "en": Template("Report in progress", 'Your report "{title}" is being handled.'),
    },
    "report-resolved": {
        "vi": Template(
            "Phản ánh đã được xử lý", 'Phản ánh "{title}" của bạn đã được xử lý. Kết quả: {result}'
        ),
        "en": Template("Report resolved", 'Your report "{title}" was resolved. Result: {result}'),
    },
    "report-published": {
        "vi": Template(
            "Kết quả xử lý đã công bố", 'Kết quả xử lý phản ánh "{title}" đã được công bố. Mời bạn đánh giá.'
        ),
        "en": Template(
            "Outcome published", 'The outcome of your report "{title}" is published. Please rate it.'
        ),
    },
    "report-reopened": {
        "vi": Template("Phản ánh được xử lý lại", 'Phản ánh "{title}" của bạn đã được mở lại để xử lý tiếp.'),
        "en": Template("Report reopened", 'Your report "{title}" was reopened for further handling.'),
    },
    "report-closed": {
        "vi": Template("Phản ánh đã đóng", 'Phản ánh "{title}" của bạn đã kết thúc. Cảm ơn bạn đã phản ánh.'),
        "en": Template("Report closed", 'Your report "{title}" is closed. Thank you for reporting.'),
    },
    "report-merged": {
        "vi": Template(
            "Phản ánh được gộp",
            'Phản ánh "{title}" trùng với một phản ánh khác và đã được gộp; '
            "bạn sẽ nhận cập nhật của phản ánh đó.",
        ),
        "en": Template(
            "Report merged",
            'Your report "{title}" duplicated another and was merged into it; you will get its updates.',
        ),
    },
    # Integration: the owning organization account of an application (Art. 15.2 review decisions).
    "application-approved": {
        "vi": Template(
            "Hồ sơ tích hợp được phê duyệt",
            "Hồ sơ tích hợp {application_id} đã được phê duyệt cho môi trường {environment}.{comment}",
        ),
        "en": Template(
            "Integration application approved",
            "Integration application {application_id} was approved for {environment}.{comment}",
        ),
    },
    "application-suspended": {
        "vi": Template(
            "Hồ sơ tích hợp bị tạm dừng",
            "Hồ sơ tích hợp {application_id} đã bị Sở TT&TT tạm dừng; "
            "các lời gọi của ứng dụng bị từ chối.{comment}",
        ),
        "en": Template(
            "Integration application suspended",
            "Integration application {application_id} was suspended by the DIC; "
            "its calls are refused.{comment}",
        ),
    },
}


def render(kind: str, language: str, **values: object) -> Template:
    template = TEMPLATES[kind].get(language) or TEMPLATES[kind]["vi"]
    return Template(template.title.format(**values), template.body.format(**values))
