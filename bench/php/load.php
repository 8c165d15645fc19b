<?php
/*
 * Loads the benchmark data set (bench/export.py's JSON) into an installed WordPress with
 * WordPress's own functions: wp_insert_user, wp_insert_term, wp_insert_post,
 * wp_insert_comment. Batches of BATCH_SIZE rows share one transaction, counts are
 * deferred to the end, and the object cache is emptied between batches.
 *
 *     php bench/php/load.php WORDPRESS_DIR CONTENT_JSON [BATCH_SIZE]
 *
 * Settings follow Plume's where WordPress has the same one (posts per page, feed size and
 * summaries, thread depth, time zone, language, /%postname%/ permalinks). The marker
 * option is written last, so that an interrupted load is never taken for a complete one.
 * Prints one JSON line.
 */
if (PHP_SAPI !== 'cli') {
    exit(1);
}
[, $root, $content_path, $batch_size] = $argv + [null, null, null, 500];
$batch_size = max(1, (int) $batch_size);

require __DIR__ . '/cli.php';
plume_bench_cli_server();
require $root . '/wp-load.php';

$started = microtime(true);
$content = json_decode(file_get_contents($content_path), true, 512, JSON_THROW_ON_ERROR);

// The administrator may post any HTML: the posts are the generator's own rendered HTML,
// with the heading ids the table of contents links to.
wp_set_current_user(1);
kses_remove_filters();
wp_defer_term_counting(true);
wp_defer_comment_counting(true);

function plume_bench_fail($what, $error)
{
    fwrite(STDERR, $what . ': ' . (is_wp_error($error) ? $error->get_error_message() : (string) $error) . "\n");
    exit(1);
}

function plume_bench_batches($rows, $size, $insert)
{
    global $wpdb;
    foreach (array_chunk($rows, $size) as $batch) {
        $wpdb->query('START TRANSACTION');
        foreach ($batch as $row) {
            $insert($row);
        }
        $wpdb->query('COMMIT');
        wp_cache_flush();
    }
}

// wp_install()'s sample content: a post, a page, a comment, the privacy policy draft.
foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $post) {
    wp_delete_post($post->ID, true);
}

$site = $content['site'];
$options = [
    'blogname' => $site['title'],
    'blogdescription' => $site['description'],
    'timezone_string' => $site['timezone'],
    'WPLANG' => getenv('PLUME_BENCH_WP_LANGUAGE') ?: '',
    'posts_per_page' => $site['posts_per_page'],
    'posts_per_rss' => 20,
    'rss_use_excerpt' => 1,
    'thread_comments' => 1,
    'thread_comments_depth' => $site['comments_max_depth'],
    'page_comments' => 0,
    'default_comment_status' => 'open',
    'blog_public' => 0,
];
foreach ($options as $name => $value) {
    update_option($name, $value);
}
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%postname%/');
// Rebuilt by the first request, which knows it is served by nginx.
delete_option('rewrite_rules');

$users = [];
foreach ($content['authors'] as $author) {
    $id = wp_insert_user(wp_slash([
        'user_login' => $author['login'],
        'user_email' => $author['email'],
        'user_pass' => wp_generate_password(24),
        'display_name' => $author['name'],
        'user_nicename' => $author['slug'],
        'description' => $author['bio'],
        'user_url' => $author['url'],
        'role' => 'author',
    ]));
    if (is_wp_error($id)) {
        plume_bench_fail('author ' . $author['login'], $id);
    }
    $users[$author['id']] = $id;
}

$terms = ['category' => [], 'post_tag' => []];
foreach ([['category', $content['categories']], ['post_tag', $content['tags']]] as [$taxonomy, $rows]) {
    foreach ($rows as $row) {
        $args = ['slug' => $row['slug']];
        if (!empty($row['parent'])) {
            $args['parent'] = $terms[$taxonomy][$row['parent']];
        }
        $term = wp_insert_term(wp_slash($row['name']), $taxonomy, $args);
        if (is_wp_error($term)) {
            plume_bench_fail("$taxonomy {$row['slug']}", $term);
        }
        $terms[$taxonomy][$row['id']] = (int) $term['term_id'];
    }
}

$posts = [];
$sticky = [];
$bodies = $content['bodies'];
plume_bench_batches($content['posts'], $batch_size, function ($row) use (&$posts, &$sticky, $users, $terms, $bodies) {
    $categories = array_map(fn($id) => $terms['category'][$id], $row['categories']);
    $id = wp_insert_post(wp_slash([
        'post_type' => 'post',
        'post_title' => $row['title'],
        'post_name' => $row['slug'],
        'post_author' => $users[$row['author']],
        'post_content' => $bodies[$row['body']],
        'post_excerpt' => $row['excerpt'],
        'post_status' => $row['status'],
        'post_date' => $row['date'],
        'post_date_gmt' => $row['date_gmt'],
        'post_category' => $categories,
        'comment_status' => 'open',
    ]), true);
    if (is_wp_error($id)) {
        plume_bench_fail('post ' . $row['slug'], $id);
    }
    wp_set_object_terms($id, array_map(fn($tag) => $terms['post_tag'][$tag], $row['tags']), 'post_tag');
    if ($row['sticky']) {
        $sticky[] = $id;
    }
    $posts[$row['id']] = $id;
});
foreach ($sticky as $id) {
    stick_post($id);
}

$comments = [];
plume_bench_batches($content['comments'], $batch_size * 4, function ($row) use (&$comments, $posts) {
    $id = wp_insert_comment(wp_slash([
        'comment_post_ID' => $posts[$row['post']],
        'comment_parent' => $comments[$row['parent'] ?? 0] ?? 0,
        'comment_author' => $row['author'],
        'comment_author_email' => $row['email'],
        'comment_content' => $row['html'],
        'comment_author_IP' => $row['ip'],
        'comment_agent' => $row['agent'],
        'comment_date' => $row['date'],
        'comment_date_gmt' => $row['date_gmt'],
        'comment_approved' => 1,
        'comment_type' => 'comment',
    ]));
    if (!$id) {
        plume_bench_fail('comment ' . $row['id'], 'wp_insert_comment returned false');
    }
    $comments[$row['id']] = $id;
});

// The counts deferred above: term post counts and each post's comment count.
$wpdb->query('START TRANSACTION');
wp_defer_term_counting(false);
wp_defer_comment_counting(false);
$wpdb->query('COMMIT');

$seconds = microtime(true) - $started;
$result = wp_json_encode([
    'posts' => count($posts),
    'comments' => count($comments),
    'seconds' => round($seconds, 2),
    'posts_per_s' => round(count($posts) / max($seconds, 0.001), 1),
]);
update_option('plume_bench_load', $result, false);
update_option('plume_bench_dataset', wp_json_encode($content['marker']), false);
echo $result, "\n";
