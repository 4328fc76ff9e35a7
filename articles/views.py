from django.conf import settings
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from articles.models import Article


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
