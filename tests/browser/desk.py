"""Open the desk in a browser as one of its people."""


def desk_page(browser, live_server, username: str, language: str, **options):
    """Return a new browser context and page, logged in to the desk in `language`.

    The person's password is the factories' "pw"; `options` go to the
    context (a viewport, say). The caller closes the context.
    """
    context = browser.new_context(locale=language, **options)
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    return context, page
