from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import get_language
from django.views import View
from django.views.generic import DetailView, ListView

from articles.models import LANGUAGE_CODES, Article
from articles.preview import PreviewLinkExpired, preview_url, read_preview_token


class LiveArticleMixin:
    """Own the queryset of every public story view: live in the URL's language only."""

    def get_queryset(self):
        return Article.objects.live(get_language()).with_cards()


class HomeView(LiveArticleMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_queryset(self):
        return super().get_queryset().newest_first()


class ArticleDetailView(LiveArticleMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_slug_field(self) -> str:
        return f"slug_{get_language()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context["language_urls"] = {
            code: article.get_absolute_url(code) for code in article.live_languages()
        }
        return context


class PreviewView(View):
    """Show any story, published or not, to whoever holds a signed link."""

    def get(self, request, token: str):
        try:
            article_id, language = read_preview_token(token)
        except PreviewLinkExpired:
            response = render(request, "articles/preview_expired.html", status=410)
            return self._private(response)
        except signing.BadSignature:
            raise Http404 from None
        article = get_object_or_404(Article.objects.with_cards(), pk=article_id)
        with translation.override(language):
            response = render(
                request,
                "articles/article_detail.html",
                {
                    "article": article,
                    "is_preview": True,
                    "language_urls": {
                        code: preview_url(article, code)
                        for code in LANGUAGE_CODES
                        if getattr(article, f"headline_{code}")
                    },
                },
            )
        return self._private(response)

    @staticmethod
    def _private(response):
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
